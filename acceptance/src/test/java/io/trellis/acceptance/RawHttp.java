package io.trellis.acceptance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: malformed escapes, request lines over
 * 8 KiB and bodies that are not UTF-8 reach the server unchanged (an HTTP client library would
 * refuse or fix them first).
 */
final class RawHttp {
  private RawHttp() {}

  record Answer(int status, String headers, String body) {
    @Override
    public String toString() {
      return status + " " + (body.length() > 400 ? body.substring(0, 400) + "..." : body);
    }
  }

  /** The Authorization header every request carries, or null for none. */
  private static volatile String authorization;

  /** Sends {@code value} as the Authorization header of every request from now on (null: none). */
  static void authorize(String value) {
    authorization = value;
  }

  static Answer send(String endpoint, String method, String target, byte[] body) throws IOException {
    return send(endpoint, method, target, body, "");
  }

  /** As {@link #send(String, String, String, byte[])} with more header lines, each ending in CRLF. */
  static Answer send(String endpoint, String method, String target, byte[] body, String headers) throws IOException {
    int colon = endpoint.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1))), 2000);
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      try {
        out.write((method + " " + target + " HTTP/1.1\r\nHost: " + endpoint + "\r\nContent-Type: application/json\r\n"
            + "Accept: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n" + headers
            + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
      } catch (IOException answeredEarly) {
        // The server answered and closed before reading everything (an oversized request).
      }
      return parse(readAll(s.getInputStream()));
    }
  }

  /** How long an answer is read: a call wrongly accepted as a stream (SUBSCRIBE) never ends by itself. */
  private static final long READ_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(15);

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long start = System.nanoTime();
    try {
      for (int n; System.nanoTime() - start < READ_NANOS && (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // A server that closes with unread request bytes resets the connection after its answer.
    }
    return all.toByteArray();
  }

  private static Answer parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int split = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/") || split < 0) {
      throw new AssertionError("not an HTTP answer: '" + text.substring(0, Math.min(200, text.length())) + "'");
    }
    String head = text.substring(0, split);
    int status = Integer.parseInt(head.split(" ", 3)[1]);
    byte[] body = java.util.Arrays.copyOfRange(raw, split + 4, raw.length);
    if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
      body = dechunk(body);
    }
    return new Answer(status, head, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < chunked.length) {
      int eol = indexOfCrlf(chunked, i);
      if (eol < 0) {
        break;
      }
      String size = new String(chunked, i, eol - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int n = Integer.parseInt(size, 16);
      if (n == 0) {
        break;
      }
      out.write(chunked, eol + 2, Math.min(n, chunked.length - eol - 2));
      i = eol + 2 + n + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
