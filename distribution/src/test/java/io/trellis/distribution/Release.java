package io.trellis.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of the unpacked release ({@code distribution/target/trellis-<version>}) outside the
 * source tree, and its {@code bin/trellis} run with an environment holding a JDK and the host's
 * commands only: no Maven on PATH, no source tree, a home of its own.
 */
final class Release {
  /** The host's own commands (a machine's PATH) except these: Maven and the build's tools, and java. */
  private static final List<String> NOT_ON_PATH = List.of("mvn", "mvnDebug", "mvnyjp", "ant", "gradle", "java");

  final Path home;
  final Path userHome;
  private final Path tools;
  private final Path javaHome;
  private final List<Process> started = new ArrayList<>();

  private Release(Path home, Path userHome, Path tools, Path javaHome) {
    this.home = home;
    this.userHome = userHome;
    this.tools = tools;
    this.javaHome = javaHome;
  }

  /** The unpacked release this build made. */
  static Path built() {
    Path target = Path.of(System.getProperty("trellis.release.dir", "target/trellis-" + System.getProperty(
        "trellis.version", "0.1.0-SNAPSHOT")));
    if (!Files.isExecutable(target.resolve("bin/trellis"))) {
      throw new AssertionError(target.toAbsolutePath() + " holds no bin/trellis: run 'mvn package' first");
    }
    return target.toAbsolutePath();
  }

  /**
   * Copies the release into {@code dir/install} (its jars as hard links when the file system
   * allows), and makes the tools folder that is the processes' whole PATH.
   */
  static Release copy(Path dir) throws IOException {
    Path home = dir.resolve("install");
    copyTree(built(), home);
    Path tools = Files.createDirectories(dir.resolve("tools"));
    for (String system : List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      if (!Files.isDirectory(Path.of(system))) {
        continue;
      }
      try (Stream<Path> commands = Files.list(Path.of(system))) {
        for (Path command : commands.toList()) {
          Path link = tools.resolve(command.getFileName().toString());
          if (!NOT_ON_PATH.contains(command.getFileName().toString()) && Files.isExecutable(command)
              && !Files.isDirectory(command) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, command);
          }
        }
      }
    }
    Path javaHome = Path.of(System.getProperty("java.home"));
    return new Release(home, Files.createDirectories(dir.resolve("home")), tools, javaHome);
  }

  /** Puts java on PATH too (as a package-installed JDK is), for a process found without JAVA_HOME. */
  void javaOnPath() throws IOException {
    Path link = tools.resolve("java");
    if (!Files.exists(link)) {
      Files.createSymbolicLink(link, javaHome.resolve("bin/java"));
    }
  }

  /** Whether {@code command} is found on the processes' PATH. */
  boolean onPath(String command) {
    return Files.isExecutable(tools.resolve(command));
  }

  /**
   * Starts {@code bin/trellis ARGS} from {@code cwd}, its output in {@code log}. With
   * {@code javaHome} the environment names JAVA_HOME; without, java must be on PATH.
   */
  Process start(Path cwd, Path log, boolean javaHome, Map<String, String> extra, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/trellis").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(environment(javaHome));
    pb.environment().putAll(extra);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** Runs {@code bin/trellis ARGS} to its end; its exit status and output. */
  Result run(Path cwd, Map<String, String> extra, String... args) throws Exception {
    Path log = Files.createTempFile(cwd, "run-", ".log");
    Process p = start(cwd, log, true, extra, args);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bin/trellis " + String.join(" ", args) + " did not end:\n" + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log));
  }

  record Result(int status, String output) {}

  private Map<String, String> environment(boolean withJavaHome) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", tools.toString());
    env.put("HOME", userHome.toString());
    if (withJavaHome) {
      env.put("JAVA_HOME", javaHome.toString());
    }
    return env;
  }

  /** Stops every process started (SIGTERM, then SIGKILL after 20 s), and removes the PATH folder's links. */
  void stopAll() throws InterruptedException, IOException {
    for (Process p : started) {
      p.destroy();
    }
    for (Process p : started) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
    try (Stream<Path> links = Files.list(tools)) {
      for (Path link : links.toList()) {
        Files.delete(link);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path source : all.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (source.getFileName().toString().endsWith(".jar")) {
          link(source, target);
        } else {
          Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void link(Path source, Path target) throws IOException {
    try {
      Files.createLink(target, source);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException | UnsupportedOperationException otherFileSystem) {
      Files.copy(source, target);
    }
  }
}
