package io.trellis.spark;

import java.net.URI;
import java.util.Locale;

/**
 * The shell that puts {@code spark.trellis.executor.uri} into an executor's sandbox: a
 * {@code .tgz}/{@code .tar.gz} is unpacked, a {@code .jar} copied, into {@value #DIR}. Local
 * paths and {@code file:} URIs are copied; {@code http(s):} URIs are downloaded with curl.
 */
final class ExecutorArchive {
  static final String DIR = "spark-dist";

  private ExecutorArchive() {}

  static String fetchCommand(String uri) {
    String lower = uri.toLowerCase(Locale.ROOT);
    boolean tar = lower.endsWith(".tgz") || lower.endsWith(".tar.gz");
    if (!tar && !lower.endsWith(".jar")) {
      throw new IllegalArgumentException(BackendSettings.EXECUTOR_URI + " '" + uri
          + "' must name a .tgz, .tar.gz or .jar");
    }
    String get;
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      get = "curl -fsSL --retry 3 -o \"$ARCHIVE\" " + ExecutorCommand.quote(uri);
    } else {
      String path = lower.startsWith("file:") ? URI.create(uri).getPath() : uri;
      get = "cp " + ExecutorCommand.quote(path) + " \"$ARCHIVE\"";
    }
    String name = tar ? "dist.tgz" : "dist.jar";
    String unpack = tar ? "tar -xzf \"$ARCHIVE\" -C " + DIR : "mv \"$ARCHIVE\" " + DIR + "/";
    return "mkdir -p " + DIR + " && ARCHIVE=\"$PWD/" + name + "\" && " + get + " && " + unpack;
  }
}
