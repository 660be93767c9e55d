package io.trellis.storm.cds;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data-sharing archive of the classes Storm's supervisors and workers load from the
 * adapter's class path: a supervisor or worker JVM given it maps Storm's classes already parsed
 * and verified instead of reading them from about a hundred jars, which is most of its start.
 *
 * <p>Nimbus makes it in the background when it starts, once per install and Java (the file name
 * is a hash of the Java home and version and of every jar's name, size and time): a training JVM
 * runs a small topology in Storm's {@code LocalCluster} with {@code -XX:ArchiveClassesAtExit},
 * and the archive takes its final name only when complete. Supervisors launched before it exists
 * start without it; a JVM given an archive that is missing on its agent or does not fit its
 * class path starts without it too, silently.
 */
public final class StormClassArchive {
  private static final Logger log = LoggerFactory.getLogger(StormClassArchive.class);

  private static final long TRAINING_LIMIT_MINUTES = 5;

  private final Path lib;
  private final String javaHome;
  private final Path archive;

  /** @param dir where archives are kept ({@code cds} beside {@code lib} or a temporary directory) */
  public StormClassArchive(Path lib, String javaHome, Path dir) {
    this.lib = lib.toAbsolutePath().normalize();
    this.javaHome = javaHome;
    this.archive = dir.toAbsolutePath().normalize().resolve("storm-" + Integer.toHexString(identity().hashCode()) + ".jsa");
  }

  /** The archive's directory for an install: {@code cds} beside {@code lib} when writable, else under tmp. */
  public static Path defaultDir(Path lib) {
    Path beside = lib.toAbsolutePath().normalize().resolveSibling("cds");
    Path existing = Files.isDirectory(beside) ? beside : beside.getParent();
    return existing != null && Files.isWritable(existing) ? beside
        : Path.of(System.getProperty("java.io.tmpdir"), "trellis-storm-cds-" + System.getProperty("user.name"));
  }

  public Path path() {
    return archive;
  }

  /** JVM options that use the archive, none while it is not made. */
  public List<String> options() {
    return Files.isReadable(archive)
        ? List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off")
        : List.of();
  }

  /** Makes the archive on a daemon thread unless it exists. */
  public void makeInBackground() {
    if (Files.isReadable(archive)) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        make(TRAINING_LIMIT_MINUTES);
      } catch (IOException e) {
        log.info("no class-data archive for supervisors and workers ({}); they start without one", e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "storm-class-archive");
    t.setDaemon(true);
    t.start();
  }

  /** Runs the training JVM and moves its archive in place; returns the archive. */
  Optional<Path> make(long limitMinutes) throws IOException, InterruptedException {
    Files.createDirectories(archive.getParent());
    Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".part");
    Path output = archive.resolveSibling(archive.getFileName() + ".log");
    log.info("making the class-data archive for Storm supervisors and workers: {}", archive);
    Process p = new ProcessBuilder(Path.of(javaHome, "bin", "java").toString(), "-Xmx512m",
        "-XX:ArchiveClassesAtExit=" + partial, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
        "-Dlog4j2.level=WARN", "-cp", lib + "/*", Training.class.getName())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!p.waitFor(limitMinutes, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (p.isAlive() || p.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
      Files.deleteIfExists(partial);
      throw new IOException("the training JVM " + (p.isAlive() ? "did not finish" : "exited with " + p.exitValue())
          + "; see " + output);
    }
    try {
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.deleteIfExists(output);
    if (archive.getParent().equals(lib.resolveSibling("cds"))) {
      pruneOthers();
    }
    log.info("class-data archive for supervisors and workers ready: {}", archive);
    return Optional.of(archive);
  }

  /** Removes the archives of this install's earlier builds or Javas (about 40 MB each). */
  private void pruneOthers() throws IOException {
    try (Stream<Path> files = Files.list(archive.getParent())) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("storm-") && name.endsWith(".jsa") && !f.equals(archive)) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** The Java and every jar of the class path: a new build or Java gets a new archive. */
  private String identity() {
    StringBuilder id = new StringBuilder(javaHome).append('|').append(System.getProperty("java.vm.version"))
        .append('|').append(lib);
    try (Stream<Path> jars = Files.list(lib)) {
      for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList()) {
        id.append('|').append(jar.getFileName()).append(':').append(Files.size(jar)).append(':')
            .append(Files.getLastModifiedTime(jar).toMillis());
      }
    } catch (IOException e) {
      id.append("|unreadable");
    }
    return id.toString();
  }

}
