package io.trellis.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The data directory of {@code trellis local}: ZooKeeper's data (the master's, services' and
 * jobs' state) and the agent's sandboxes and checkpoints. It stays put between runs, so a restart
 * recovers apps, jobs and running tasks as an agent restart does. One cluster at a time holds it
 * (a lock file); {@code --fresh} empties it first, and only a directory a local cluster made.
 */
final class LocalDataDir implements AutoCloseable {
  static final String MARKER = ".trellis-local";
  private static final String LOCK = ".lock";
  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private LocalDataDir(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /** {@code ~/.trellis/local}. */
  static Path defaultPath() {
    return Path.of(System.getProperty("user.home"), ".trellis", "local");
  }

  /**
   * Takes the directory for this cluster, creating it if needed.
   *
   * @param fresh whether to delete what an earlier run left in it
   * @throws IllegalStateException naming the directory when another cluster holds it, or when
   *     {@code fresh} asks to empty a directory that is not a local cluster's
   */
  static LocalDataDir open(Path dir, boolean fresh) throws IOException {
    Path path = dir.toAbsolutePath().normalize();
    Files.createDirectories(path);
    boolean ours = Files.exists(path.resolve(MARKER));
    if (fresh && !ours && !isEmpty(path)) {
      throw new IllegalStateException("--fresh empties only a directory trellis local made, and " + path
          + " has other files (no " + MARKER + " in it): choose an empty or new --data-dir");
    }
    FileChannel channel = FileChannel.open(path.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("the data directory " + path + " is in use by another trellis local:"
          + " stop that one first (Ctrl-C), or give this one its own --data-dir and other ports");
    }
    if (fresh) {
      deleteContents(path);
    }
    Files.writeString(path.resolve(MARKER), "a trellis local data directory; `trellis local --fresh` empties it\n");
    return new LocalDataDir(path, channel, lock);
  }

  Path path() {
    return path;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static void deleteContents(Path dir) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.filter(p -> !p.equals(dir) && !p.equals(dir.resolve(LOCK))).sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
