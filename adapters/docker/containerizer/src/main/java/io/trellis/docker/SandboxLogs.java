package io.trellis.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a container's log stream into the sandbox's {@code stdout} and {@code stderr} files.
 * The daemon stamps every line; the stamp of the last line copied is kept in the sandbox's
 * {@code .trellis/docker-logs-until}, and lines stamped at or before it are skipped, so that a
 * restarted agent resumes where the files end instead of copying lines twice.
 */
final class SandboxLogs extends ResultCallback.Adapter<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxLogs.class);
  private static final int STAMP_MAX = 40;
  private static final String UNTIL = ".trellis/docker-logs-until";

  private final String taskId;
  private final OutputStream stdout;
  private final OutputStream stderr;
  private final FileChannel until;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private volatile Instant last;

  private SandboxLogs(String taskId, OutputStream stdout, OutputStream stderr,
      FileChannel until, Instant after) {
    this.taskId = taskId;
    this.stdout = stdout;
    this.stderr = stderr;
    this.until = until;
    this.last = after;
  }

  /** Opens the sandbox's files for appending. */
  static SandboxLogs into(String taskId, Path sandbox, Instant after) throws IOException {
    Path untilFile = sandbox.resolve(UNTIL);
    Files.createDirectories(untilFile.getParent());
    List<Closeable> opened = new ArrayList<>();
    try {
      FileOutputStream out = new FileOutputStream(sandbox.resolve("stdout").toFile(), true);
      opened.add(out);
      FileOutputStream err = new FileOutputStream(sandbox.resolve("stderr").toFile(), true);
      opened.add(err);
      FileChannel until = FileChannel.open(untilFile, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      return new SandboxLogs(taskId, out, err, until, after);
    } catch (IOException e) {
      for (Closeable c : opened) {
        c.close();
      }
      throw e;
    }
  }

  /**
   * The stamp of the last line already copied into the sandbox, or {@code null} when none was.
   */
  static Instant writtenUntil(Path sandbox) {
    try {
      String stamp = Files.readString(sandbox.resolve(UNTIL), StandardCharsets.US_ASCII).trim();
      return stamp.isEmpty() ? null : Instant.parse(stamp);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | DateTimeParseException e) {
      LOG.warn("cannot read {} in {} ({}); copying the task's whole output again", UNTIL,
          sandbox, e.toString());
      return null;
    }
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
      Instant stamp = last;
      if (stamp != null) {
        byte[] text = String.format("%-" + STAMP_MAX + "s", stamp).getBytes(
            StandardCharsets.US_ASCII);
        until.write(ByteBuffer.wrap(text), 0);
      }
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
      until.close();
    } catch (IOException e) {
      LOG.warn("task {}: cannot close its sandbox files: {}", taskId, e.toString());
    }
    ended.complete(null);
  }
}
