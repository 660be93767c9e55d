package io.trellis.faults.rig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the rig's processes come from: an unpacked release ({@code bin/trellis}, {@code lib/}) or,
 * while building from source, a {@code lib} directory such as {@code distribution/target/lib}.
 */
public final class Install {
  private final Path dir;
  private final Path lib;
  private final Path command;

  private Install(Path dir, Path lib, Path command) {
    this.dir = dir;
    this.lib = lib;
    this.command = command;
  }

  /**
   * The install at {@code dir}: a release when it holds {@code bin/trellis} and {@code lib/}, a
   * class path directory when it holds the trellis jars itself.
   */
  public static Install at(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    if (Files.isExecutable(d.resolve("bin/trellis")) && Files.isDirectory(d.resolve("lib"))) {
      return new Install(d, d.resolve("lib"), d.resolve("bin/trellis"));
    }
    if (hasCli(d)) {
      return new Install(d, d, null);
    }
    throw new IllegalArgumentException("install directory " + d + " holds neither bin/trellis with lib/ (a release)"
        + " nor the trellis jars (distribution/target/lib): build with mvn package, or pass --install DIR");
  }

  /**
   * The newest unpacked release under {@code distribution/target} of the source tree at {@code root},
   * else its {@code distribution/target/lib}.
   */
  public static Install fromSource(Path root) {
    Path target = root.resolve("distribution/target");
    try (var found = Files.list(target)) {
      List<Path> releases = found.filter(p -> p.getFileName().toString().startsWith("trellis-")
          && Files.isDirectory(p) && Files.isExecutable(p.resolve("bin/trellis"))).sorted().toList();
      if (!releases.isEmpty()) {
        return at(releases.get(releases.size() - 1));
      }
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(target + " cannot be read (" + e.getMessage() + "): build with mvn package", e);
    }
    return at(target.resolve("lib"));
  }

  private static boolean hasCli(Path d) {
    try (var jars = Files.list(d)) {
      return jars.anyMatch(p -> p.getFileName().toString().startsWith("trellis-cli-"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  public Path dir() {
    return dir;
  }

  public Path lib() {
    return lib;
  }

  /** The command line of {@code trellis args...} from this install. */
  public List<String> trellis(List<String> args) {
    List<String> argv = new ArrayList<>();
    if (command != null) {
      argv.add(command.toString());
    } else {
      argv.add(java());
      argv.addAll(List.of(Rig.JAVA_OPTS.split(" ")));
      argv.add("-cp");
      argv.add(lib + "/*");
      argv.add("io.trellis.cli.Trellis");
    }
    argv.addAll(args);
    return argv;
  }

  /** {@code java} of the JDK running the rig (the install brings none). */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public String toString() {
    return command != null ? "release " + dir : "class path " + dir;
  }
}
