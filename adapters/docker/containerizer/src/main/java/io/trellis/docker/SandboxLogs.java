package io.trellis.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a container's log stream into the sandbox's {@code stdout} and {@code stderr} files.
 * The daemon stamps every line; lines stamped at or before {@code after} are skipped, so that a
 * restarted agent resumes where the files end instead of writing lines twice.
 */
final class SandboxLogs extends ResultCallback.Adapter<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxLogs.class);
  private static final int STAMP_MAX = 40;

  private final String taskId;
  private final OutputStream stdout;
  private final OutputStream stderr;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private volatile Instant last;

  private SandboxLogs(String taskId, OutputStream stdout, OutputStream stderr, Instant after) {
    this.taskId = taskId;
    this.stdout = stdout;
    this.stderr = stderr;
    this.last = after;
  }

  /** Opens the sandbox's files for appending. */
  static SandboxLogs into(String taskId, Path sandbox, Instant after) throws IOException {
    Files.createDirectories(sandbox);
    FileOutputStream out = new FileOutputStream(sandbox.resolve("stdout").toFile(), true);
    try {
      return new SandboxLogs(taskId, out,
          new FileOutputStream(sandbox.resolve("stderr").toFile(), true), after);
    } catch (IOException e) {
      out.close();
      throw e;
    }
  }

  /**
   * The time of the last line already in the sandbox's files (their last modification), or
   * {@code null} when they are empty or missing.
   */
  static Instant writtenUntil(Path sandbox) {
    Instant latest = null;
    for (String name : new String[] {"stdout", "stderr"}) {
      Path file = sandbox.resolve(name);
      try {
        if (Files.size(file) > 0) {
          Instant t = Files.getLastModifiedTime(file).toInstant();
          latest = latest == null || t.isAfter(latest) ? t : latest;
        }
      } catch (IOException e) {
        LOG.debug("no {} in {}: {}", name, sandbox, e.toString());
      }
    }
    return latest;
  }

  /** Completes when the stream has ended, whatever ended it. */
  CompletableFuture<Void> ended() {
    return ended;
  }

  /** The stamp of the last line written, to resume from; {@code null} before any. */
  Instant last() {
    return last;
  }

  @Override
  public void onNext(Frame frame) {
    byte[] payload = frame.getPayload();
    int space = -1;
    for (int i = 0; i < Math.min(payload.length, STAMP_MAX); i++) {
      if (payload[i] == ' ') {
        space = i;
        break;
      }
    }
    int from = 0;
    if (space > 0) {
      try {
        Instant stamp = Instant.parse(new String(payload, 0, space, StandardCharsets.US_ASCII));
        Instant previous = last;
        if (previous != null && !stamp.isAfter(previous)) {
          return;
        }
        last = stamp;
        from = space + 1;
      } catch (DateTimeParseException e) {
        from = 0;
      }
    }
    OutputStream target = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
    try {
      target.write(payload, from, payload.length - from);
    } catch (IOException e) {
      LOG.warn("task {}: cannot write its output to the sandbox: {}", taskId, e.toString());
    }
  }

  @Override
  public void onError(Throwable error) {
    LOG.debug("task {}: log stream ended: {}", taskId, error.toString());
    finish();
  }

  @Override
  public void onComplete() {
    finish();
  }

  private void finish() {
    try {
      super.close();
    } catch (IOException e) {
      LOG.debug("closing the log stream of task {}: {}", taskId, e.toString());
    }
    try {
      stdout.close();
      stderr.close();
    } catch (IOException e) {
      LOG.warn("task {}: cannot close its sandbox files: {}", taskId, e.toString());
    }
    ended.complete(null);
  }
}
