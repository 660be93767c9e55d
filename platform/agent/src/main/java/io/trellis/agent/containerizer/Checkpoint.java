package io.trellis.agent.containerizer;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a restarted agent needs to find a task again, kept in the sandbox under {@code .trellis/}:
 * the wrapper's pid and start time, and the task's cgroup directories. The wrapper writes the
 * task's exit status next to it in {@code .trellis/exit}.
 */
record Checkpoint(String taskId, long pid, long startTime, List<Path> cgroupDirs) {
  static final String DIR = ".trellis";
  private static final String FILE = "container.properties";
  private static final String EXIT = "exit";

  Checkpoint {
    cgroupDirs = List.copyOf(cgroupDirs);
  }

  static Path metaDir(Path sandbox) {
    return sandbox.resolve(DIR);
  }

  static Path exitFile(Path sandbox) {
    return metaDir(sandbox).resolve(EXIT);
  }

  /** The exit status the wrapper recorded, or {@code null} if it recorded none. */
  static Integer readExitStatus(Path sandbox) {
    try {
      return Integer.valueOf(Files.readString(exitFile(sandbox), StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  /** Writes the checkpoint atomically, so a crash leaves either the old file or the new one. */
  void write(Path sandbox) throws IOException {
    Properties p = new Properties();
    p.setProperty("taskId", taskId);
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("startTime", Long.toString(startTime));
    for (int i = 0; i < cgroupDirs.size(); i++) {
      p.setProperty("cgroup." + i, cgroupDirs.get(i).toString());
    }
    Path file = metaDir(sandbox).resolve(FILE);
    Path tmp = metaDir(sandbox).resolve(FILE + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(out, "trellis process container");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The checkpoint in {@code sandbox}; empty if there is none or it cannot be read. */
  static Optional<Checkpoint> read(Path sandbox) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(metaDir(sandbox).resolve(FILE), StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the container checkpoint in " + sandbox
          + ": " + e.getMessage() + "; check the sandbox's permissions", e);
    }
    try {
      List<Path> dirs = new ArrayList<>();
      for (int i = 0; p.getProperty("cgroup." + i) != null; i++) {
        dirs.add(Path.of(p.getProperty("cgroup." + i)));
      }
      return Optional.of(new Checkpoint(p.getProperty("taskId"),
          Long.parseLong(p.getProperty("pid")), Long.parseLong(p.getProperty("startTime")), dirs));
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalStateException("the container checkpoint in " + sandbox
          + " is damaged (" + p + "); remove " + metaDir(sandbox).resolve(FILE)
          + " if the task no longer runs", e);
    }
  }
}
