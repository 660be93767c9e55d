package io.trellis.master.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A stored value and its version (0 when created, one more with each write).
 *
 * @param value the bytes, copied in and out
 */
public record Versioned(byte[] value, int version) {
  public Versioned {
    value = value.clone();
    if (version < 0) {
      throw new IllegalArgumentException("bad version " + version + ": expected 0 or more");
    }
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value as UTF-8 text, such as JSON. */
  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  int size() {
    return value.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Versioned v && version == v.version && Arrays.equals(value, v.value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(value) + version;
  }

  @Override
  public String toString() {
    return "Versioned[" + value.length + " bytes, version " + version + "]";
  }
}
