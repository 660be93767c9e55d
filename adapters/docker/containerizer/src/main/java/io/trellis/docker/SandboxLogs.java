package io.trellis.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a container's log stream, from its beginning, into the sandbox's {@code stdout} and
 * {@code stderr} files. When resuming (a restarted agent, a broken stream), the daemon replays the
 * container's output from the start and the bytes already in each file are skipped, so nothing is
 * copied twice or lost. (This relies on the daemon keeping the whole log, which its default
 * {@code json-file} driver does unless an operator sets a maximum size.)
 */
final class SandboxLogs extends ResultCallback.Adapter<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxLogs.class);

  private final String taskId;
  private final OutputStream stdout;
  private final OutputStream stderr;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private long skipOut;
  private long skipErr;

  private SandboxLogs(String taskId, OutputStream stdout, OutputStream stderr, long skipOut,
      long skipErr) {
    this.taskId = taskId;
    this.stdout = stdout;
    this.stderr = stderr;
    this.skipOut = skipOut;
    this.skipErr = skipErr;
  }

  /**
   * Opens the sandbox's files for appending.
   *
   * @param resume whether the files already hold the beginning of this container's output
   */
  static SandboxLogs into(String taskId, Path sandbox, boolean resume) throws IOException {
    Files.createDirectories(sandbox);
    Path out = sandbox.resolve("stdout");
    Path err = sandbox.resolve("stderr");
    long skipOut = resume && Files.exists(out) ? Files.size(out) : 0;
    long skipErr = resume && Files.exists(err) ? Files.size(err) : 0;
    FileOutputStream stdout = new FileOutputStream(out.toFile(), true);
    try {
      return new SandboxLogs(taskId, stdout, new FileOutputStream(err.toFile(), true), skipOut,
          skipErr);
    } catch (IOException e) {
      stdout.close();
      throw e;
    }
  }

  /** Completes when the stream has ended, whatever ended it. */
  CompletableFuture<Void> ended() {
    return ended;
  }

  @Override
  public synchronized void onNext(Frame frame) {
    if (ended.isDone()) {
      return;
    }
    byte[] payload = frame.getPayload();
    boolean isErr = frame.getStreamType() == StreamType.STDERR;
    long skip = isErr ? skipErr : skipOut;
    int from = (int) Math.min(skip, payload.length);
    if (isErr) {
      skipErr -= from;
    } else {
      skipOut -= from;
    }
    if (from == payload.length) {
      return;
    }
    try {
      (isErr ? stderr : stdout).write(payload, from, payload.length - from);
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

  private synchronized void finish() {
    if (ended.isDone()) {
      return;
    }
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
