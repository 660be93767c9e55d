package io.trellis.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The web UI under {@value #PREFIX}: its page, its ES modules ({@code /ui/app/...}) and the
 * libraries they import ({@code /ui/vendor/<library>/...}), all read from the class path. These
 * files hold no cluster data, so they are served without credentials; the page asks for a token
 * and sends it with every API call, to this origin only.
 *
 * <p>Every answer carries a content security policy that allows scripts from this origin and the
 * page's import map (by its hash) only, and no framing.
 */
public final class WebUi extends HttpHandler {
  public static final String PREFIX = "/ui";
  private static final String ROOT = "io/trellis/ui/";
  /** Paths are plain names: letters, digits, '.', '-', '_' and '/', never "..". */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/-]{1,200}");
  private static final Pattern IMPORT_MAP =
      Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL);
  private static final Map<String, String> TYPES = Map.of(
      "js", "text/javascript; charset=utf-8", "mjs", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8", "svg", "image/svg+xml",
      "png", "image/png", "ico", "image/x-icon", "map", "application/json");

  /** What the cache holds for a file that is not there (compared by identity). */
  private static final byte[] MISSING = new byte[0];

  private final Map<String, String> vendors;
  private final byte[] page;
  private final String policy;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  public WebUi() {
    super("trellis-ui");
    this.vendors = vendors();
    this.page = read(ROOT + "index.html");
    if (page == null) {
      throw new IllegalStateException("the web UI's page " + ROOT + "index.html is not on the class path");
    }
    this.policy = policy(new String(page, StandardCharsets.UTF_8));
  }

  /** Whether {@code path} is the UI's. */
  public static boolean serves(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  @Override
  public void service(Request request, Response response) throws IOException {
    Method method = request.getMethod();
    if (method != Method.GET && method != Method.HEAD) {
      answer(response, 405, "text/plain; charset=utf-8", "the web UI's files can only be read\n".getBytes(StandardCharsets.UTF_8));
      response.setHeader("Allow", "GET, HEAD");
      return;
    }
    String path = request.getRequestURI();
    if (path.equals(PREFIX)) {
      response.setStatus(302);
      response.setHeader("Location", PREFIX + "/");
      return;
    }
    String rest = path.substring(PREFIX.length() + 1);
    if (rest.isEmpty() || rest.equals("index.html")) {
      response.setHeader("Cache-Control", "no-cache");
      answer(response, 200, TYPES.get("html"), page);
      return;
    }
    byte[] body = SAFE.matcher(rest).matches() && !rest.contains("..") ? file(rest) : null;
    if (body == null) {
      answer(response, 404, "text/plain; charset=utf-8",
          ("no such file of the web UI: " + (rest.length() > 100 ? rest.substring(0, 100) + "..." : rest)
              + "; the UI starts at " + PREFIX + "/\n").getBytes(StandardCharsets.UTF_8));
      return;
    }
    response.setHeader("Cache-Control", rest.startsWith("vendor/") ? "public, max-age=86400" : "no-cache");
    answer(response, 200, type(rest), body);
  }

  /** The file at {@code rest} (below {@value #PREFIX}/), or null. */
  private byte[] file(String rest) {
    String resource;
    if (rest.startsWith("app/")) {
      resource = ROOT + rest;
    } else if (rest.startsWith("vendor/")) {
      String lib = rest.substring("vendor/".length());
      int slash = lib.indexOf('/');
      String base = slash < 0 ? null : vendors.get(lib.substring(0, slash));
      if (base == null) {
        return null;
      }
      resource = base + lib.substring(slash + 1);
    } else {
      return null;
    }
    byte[] body = cache.computeIfAbsent(resource, r -> {
      byte[] b = read(r);
      return b == null ? MISSING : b;
    });
    return body == MISSING ? null : body;
  }

  private void answer(Response response, int status, String type, byte[] body) throws IOException {
    response.setStatus(status);
    response.setHeader("Content-Security-Policy", policy);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("X-Frame-Options", "DENY");
    response.setContentType(type);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String type(String rest) {
    int dot = rest.lastIndexOf('.');
    return TYPES.getOrDefault(dot < 0 ? "" : rest.substring(dot + 1), "application/octet-stream");
  }

  /** Scripts and styles of this origin only, plus the page's inline import map by its hash. */
  static String policy(String page) {
    Matcher m = IMPORT_MAP.matcher(page);
    String map = "";
    if (m.find()) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
        map = " 'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
      }
    }
    return "default-src 'self'; script-src 'self'" + map + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
        + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  }

  private static Map<String, String> vendors() {
    byte[] text = read(ROOT + "vendor.properties");
    if (text == null) {
      throw new IllegalStateException("the web UI's vendor.properties is not on the class path");
    }
    Properties p = new Properties();
    try {
      p.load(new java.io.ByteArrayInputStream(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> out = new java.util.HashMap<>();
    p.forEach((k, v) -> out.put((String) k, (String) v));
    return Map.copyOf(out);
  }

  private static byte[] read(String resource) {
    try (InputStream in = WebUi.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the class path", e);
    }
  }
}
