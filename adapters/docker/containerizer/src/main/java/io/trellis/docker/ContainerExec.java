package io.trellis.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import io.trellis.agent.containerizer.CommandRunner;
import io.trellis.agent.containerizer.ContainerException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command run inside a running container ({@code docker exec}): its output is read and
 * dropped (logged at DEBUG), its exit status read from the daemon once it ends. Cancelling
 * kills the command's process on the host, as the daemon has no call to stop an exec.
 */
final class ContainerExec implements CommandRunner.Execution {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerExec.class);

  private final DockerDaemon daemon;
  private final String execId;
  private final CompletableFuture<Integer> status = new CompletableFuture<>();
  private volatile ResultCallback.Adapter<Frame> stream;

  private ContainerExec(DockerDaemon daemon, String execId) {
    this.daemon = daemon;
    this.execId = execId;
  }

  static ContainerExec start(DockerDaemon daemon, String containerId, String command,
      Map<String, String> environment, Executor blocking) throws ContainerException {
    List<String> env = new ArrayList<>();
    environment.forEach((k, v) -> env.add(k + "=" + v));
    String execId;
    try {
      execId = daemon.client().execCreateCmd(containerId)
          .withCmd("/bin/sh", "-c", command)
          .withEnv(env)
          .withAttachStdout(true)
          .withAttachStderr(true)
          .exec()
          .getId();
    } catch (RuntimeException e) {
      throw new ContainerException("cannot run a command in container " + containerId + ": "
          + DockerDaemon.rootMessage(e), e);
    }
    ContainerExec exec = new ContainerExec(daemon, execId);
    exec.stream = daemon.client().execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
      @Override
      public void onNext(Frame frame) {
        LOG.debug("exec {} in {}: {}", execId, containerId, frame);
      }

      @Override
      public void onError(Throwable error) {
        exec.status.completeExceptionally(new IOException(DockerDaemon.rootMessage(error), error));
      }

      @Override
      public void onComplete() {
        super.onComplete();
        blocking.execute(exec::readStatus);
      }
    });
    return exec;
  }

  @Override
  public CompletableFuture<Integer> exitStatus() {
    return status;
  }

  @Override
  public void cancel() {
    if (status.isDone()) {
      return;
    }
    try {
      Long pid = daemon.client().inspectExecCmd(execId).exec().getPidLong();
      if (pid != null && pid > 0) {
        ProcessHandle.of(pid).ifPresent(p -> {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        });
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot kill exec {}: {}", execId, e.toString());
    }
    closeStream();
    status.completeExceptionally(new IOException("cancelled"));
  }

  private void readStatus() {
    try {
      InspectExecResponse inspected = daemon.client().inspectExecCmd(execId).exec();
      Long code = inspected.getExitCodeLong();
      if (code == null) {
        status.completeExceptionally(new IOException("the daemon gave no exit status"));
      } else {
        status.complete(code.intValue());
      }
    } catch (RuntimeException e) {
      status.completeExceptionally(new IOException(DockerDaemon.rootMessage(e), e));
    }
    closeStream();
  }

  private void closeStream() {
    ResultCallback.Adapter<Frame> s = stream;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.debug("closing exec {}: {}", execId, e.toString());
      }
    }
  }
}
