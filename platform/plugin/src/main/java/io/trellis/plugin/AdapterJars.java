package io.trellis.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an adapter's heavy jars are (kept off the {@code trellis} class path), and JVMs started on
 * them. For adapter {@code x}: {@code $TRELLIS_X_LIB}, else {@code x/} beside the plugin's jar (an
 * install), else the adapter's build output in the source tree, {@code adapters/x/backend/target/lib},
 * seen from the plugin's jar in {@code distribution/target/lib} or in {@code adapters/x/cli/target}.
 * The directory holds the adapter's own jar, {@code trellis-x-<version>.jar}.
 */
public final class AdapterJars {
  private AdapterJars() {}

  /** The adapter's lib directory; {@code plugin} is a class of the adapter's plugin jar. */
  public static Path locate(String adapter, Class<?> plugin) {
    String variable = "TRELLIS_" + adapter.toUpperCase(java.util.Locale.ROOT) + "_LIB";
    String marker = "trellis-" + adapter + "-0";
    String env = System.getenv(variable);
    if (env != null && !env.isBlank()) {
      if (holds(Path.of(env), marker)) {
        return Path.of(env);
      }
      throw new IllegalStateException(variable + "=" + env + " holds no " + marker.substring(0, marker.length() - 2)
          + " jar");
    }
    List<Path> tried = new ArrayList<>();
    try {
      Path self = Path.of(plugin.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
      for (String rel : List.of(adapter, "../../../adapters/" + adapter + "/backend/target/lib", "../../backend/target/lib")) {
        Path candidate = self.resolve(rel).normalize();
        tried.add(candidate);
        if (holds(candidate, marker)) {
          return candidate;
        }
      }
    } catch (java.net.URISyntaxException | RuntimeException e) {
      tried.add(Path.of("(the plugin's own location is unknown: " + e.getMessage() + ")"));
    }
    throw new IllegalStateException("the " + adapter + " adapter's jars were not found (looked in " + tried
        + "); build them with 'mvn -pl adapters/" + adapter + "/backend -am package -DskipTests' or set " + variable);
  }

  /** The adapter's own jar in its lib directory. */
  public static Path adapterJar(Path lib, String adapter) throws IOException {
    String marker = "trellis-" + adapter + "-0";
    try (var files = Files.list(lib)) {
      return files.filter(f -> f.getFileName().toString().startsWith(marker) && f.getFileName().toString().endsWith(".jar"))
          .findFirst().orElseThrow(() -> new IllegalStateException("no trellis-" + adapter + " jar in " + lib));
    }
  }

  /** Runs a command with this terminal's input and output, ended with this JVM; returns its exit status. */
  public static int run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    Thread stop = new Thread(p::destroy);
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      return p.waitFor();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs anyway.
      }
    }
  }

  private static boolean holds(Path dir, String marker) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(marker));
    } catch (IOException e) {
      return false;
    }
  }
}
