package io.trellis.master.state;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns any id into a legal znode name and back: bytes outside {@code [A-Za-z0-9._~-]} are
 * percent-encoded as UTF-8 ({@code analytics/spark} becomes {@code analytics%2Fspark}), and so
 * are the dots of {@code .} and {@code ..}, which ZooKeeper refuses as names.
 */
final class ZnodeNames {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ZnodeNames() {}

  static String encode(String id) {
    boolean dotsOnly = id.equals(".") || id.equals("..");
    StringBuilder out = new StringBuilder(id.length() + 8);
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (!dotsOnly && plain(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  static String decode(String name) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%') {
        if (i + 2 >= name.length()) {
          throw new IllegalArgumentException("bad znode name '" + name + "': truncated %-escape at " + i);
        }
        int hi = Character.digit(name.charAt(i + 1), 16);
        int lo = Character.digit(name.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad znode name '" + name + "': bad %-escape at " + i);
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean plain(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '~' || c == '-';
  }
}
