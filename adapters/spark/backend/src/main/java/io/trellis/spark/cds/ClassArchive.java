package io.trellis.spark.cds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive of the classes Spark JVMs load (drivers and executors on the
 * adapter's class path {@code lib/*}): a JVM started with it maps those classes, already parsed
 * and verified, instead of loading them from the jars, which takes a second or more off the start
 * of every driver and executor.
 *
 * <p>One archive per install and JVM: its name is a digest of the JVM ({@code java.home}, its
 * version) and of every jar in {@code lib} (name, size, modification time), so a rebuilt or
 * upgraded install gets a new one. It is made once, on first use, by a training JVM that runs a
 * small local Spark job with {@code -XX:ArchiveClassesAtExit}; concurrent submissions wait on a
 * file lock, and the archive appears under its final name only when complete. A JVM given an
 * archive that does not match its class path (or that is missing) runs without it.
 *
 * <p>The archives live in {@code $TRELLIS_SPARK_CDS_DIR}, else in {@code cds} beside {@code lib}
 * when that is writable, else in {@code trellis-spark-cds-<user>} under the temporary directory.
 * This class uses the JDK only: the {@code trellis} command, which carries no Spark jar, loads it
 * from the adapter's jar.
 */
public final class ClassArchive {
  /** Set to {@code false} to run drivers and executors without the archive. */
  public static final String ENABLED = "spark.trellis.classDataSharing";
  public static final String DIR_ENV = "TRELLIS_SPARK_CDS_DIR";
  static final String FORMAT = "1";

  private ClassArchive() {}

  /** Where the archive for JVMs of {@code javaHome} on {@code lib/*} is (made or not). */
  public static Path location(Path lib, String javaHome) {
    return directory(lib).resolve("spark-" + fingerprint(lib, javaHome) + ".jsa");
  }

  /** The archive for this JVM's Java on {@code lib/*}, if it has been made. */
  public static Optional<Path> existing(Path lib) {
    Path archive = location(lib, System.getProperty("java.home"));
    return Files.isReadable(archive) ? Optional.of(archive) : Optional.empty();
  }

  /** The JVM options that use {@code archive}; quiet when it does not fit the class path. */
  public static List<String> useOptions(Path archive) {
    return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  }

  /**
   * The options for a JVM of {@code javaHome} on {@code lib/*}, making the archive first if it is
   * missing; no options when it cannot be made (why goes to {@code report}). For the
   * {@code trellis} command, which calls it by reflection.
   *
   * @param jvmFlags Spark's JVM flags, which the training JVM runs with
   */
  public static List<String> ensure(String lib, String javaHome, List<String> jvmFlags,
      java.util.function.Consumer<String> report) {
    Path dir = Path.of(lib).toAbsolutePath();
    return ensure(dir, javaHome, jvmFlags, location(dir, javaHome), report);
  }

  /** As {@link #ensure(String, String, List, java.util.function.Consumer)}, the archive at {@code archive}. */
  static List<String> ensure(Path dir, String javaHome, List<String> jvmFlags, Path archive,
      java.util.function.Consumer<String> report) {
    try {
      if (!Files.isReadable(archive)) {
        make(dir, javaHome, jvmFlags, archive, report);
      }
    } catch (IOException | RuntimeException e) {
      report.accept("no class-data archive for Spark JVMs (" + e.getMessage() + "); they start without one");
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
    return Files.isReadable(archive) ? useOptions(archive) : List.of();
  }

  /** Makes the archive under a file lock, unless another maker finished it (or failed) meanwhile. */
  static void make(Path lib, String javaHome, List<String> jvmFlags, Path archive,
      java.util.function.Consumer<String> report) throws IOException, InterruptedException {
    Files.createDirectories(archive.getParent());
    Path failed = archive.resolveSibling(archive.getFileName() + ".failed");
    Path lock = archive.resolveSibling(archive.getFileName() + ".lock");
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lock(channel)) {
      if (Files.isReadable(archive)) {
        return;
      }
      if (Files.exists(failed)) {
        throw new IOException("an earlier attempt failed, see " + failed);
      }
      report.accept("making the class-data archive for Spark JVMs, once for this install: " + archive);
      Path partial = archive.resolveSibling(archive.getFileName() + ".partial-" + ProcessHandle.current().pid());
      Path output = archive.resolveSibling(archive.getFileName() + ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(javaHome, "bin", "java").toString());
      cmd.add("-Xmx512m");
      cmd.addAll(jvmFlags);
      cmd.addAll(List.of("-XX:ArchiveClassesAtExit=" + partial, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
          "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1", "-cp", lib + "/*", Training.class.getName()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      boolean done;
      try {
        done = p.waitFor(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Files.deleteIfExists(partial);
        throw e;
      }
      if (!done) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      if (!done || p.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
        Files.deleteIfExists(partial);
        Files.move(output, failed, StandardCopyOption.REPLACE_EXISTING);
        throw new IOException("the training JVM " + (done ? "exited with " + p.exitValue() : "timed out")
            + "; its output is in " + failed);
      }
      try {
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.deleteIfExists(output);
      if (archive.getParent().equals(besideLib(lib))) {
        pruneOthers(archive);
      }
    }
  }

  /** Waits for the lock, also when another class loader of this JVM holds it (a lock is per process). */
  private static FileLock lock(FileChannel channel) throws IOException, InterruptedException {
    while (true) {
      try {
        return channel.lock();
      } catch (OverlappingFileLockException heldInThisJvm) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  /** Removes the archives of earlier builds of this install (only this install uses the directory). */
  private static void pruneOthers(Path archive) throws IOException {
    try (Stream<Path> files = Files.list(archive.getParent())) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("spark-") && !name.startsWith(archive.getFileName().toString())
            && (name.endsWith(".jsa") || name.endsWith(".jsa.failed"))) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static Path besideLib(Path lib) {
    Path parent = lib.toAbsolutePath().getParent();
    return parent == null ? null : parent.resolve("cds");
  }

  static Path directory(Path lib) {
    String env = System.getenv(DIR_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    Path beside = besideLib(lib);
    if (beside != null
        && (Files.isDirectory(beside) ? Files.isWritable(beside) : Files.isWritable(beside.getParent()))) {
      return beside;
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "trellis-spark-cds-" + System.getProperty("user.name"));
  }

  /** A digest of the JVM and of every jar in {@code lib}: name, size, modification time. */
  static String fingerprint(Path lib, String javaHome) {
    try (Stream<Path> files = Files.list(lib)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update((FORMAT + "\n" + Path.of(javaHome).toAbsolutePath().normalize() + "\n"
          + System.getProperty("java.vm.version") + "\n" + lib.toAbsolutePath().normalize() + "\n")
          .getBytes(StandardCharsets.UTF_8));
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
        d.update((f.getFileName() + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis() + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(d.digest(), 0, 8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Spark class path " + lib, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
