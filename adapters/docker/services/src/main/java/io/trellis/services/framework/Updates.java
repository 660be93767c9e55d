package io.trellis.services.framework;

import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.instance.Instance;
import io.trellis.services.launch.Backoff;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies task status updates to the instances: state, health, ends, failures and backoff. */
final class Updates {
  private static final Logger log = LoggerFactory.getLogger(Updates.class);
  /** How much of a failed task's stderr its app's last failure shows. */
  private static final int STDERR_TAIL = 512;
  private final Parts p;

  Updates(Parts parts) {
    this.p = parts;
  }

  void apply(TaskStatus st) {
    boolean wasReconciling = p.reconciling.remove(st.taskId());
    Instance i = p.state.instances.get(st.taskId());
    if (i != null && st.state() == TaskState.GONE && "REASON_RECONCILIATION".equals(st.reason())) {
      Instant first = p.unknown.computeIfAbsent(st.taskId(), k -> p.clock.instant());
      if (java.time.Duration.between(first, p.clock.instant()).compareTo(Parts.UNKNOWN_GRACE) < 0) {
        log.debug("the master does not know instance {} yet; asking again", st.taskId());
        return;
      }
      log.info("instance {} of {} is unknown to the master after {} s: forgetting it", i.taskId(), i.appId(),
          Parts.UNKNOWN_GRACE.toSeconds());
      wasReconciling = true;
    }
    p.unknown.remove(st.taskId());
    if (i == null) {
      if (!st.state().isTerminal() && st.agentId() != null) {
        log.info("task {} is not an instance of any app: killing it", st.taskId());
        try {
          p.client.kill(st.taskId(), st.agentId());
        } catch (RuntimeException e) {
          log.debug("cannot kill unknown task {}: {}", st.taskId(), e.getMessage());
        }
      }
      return;
    }
    p.bus.publish("status_update_event", "slaveId", st.agentId(), "taskId", st.taskId(),
        "taskStatus", "TASK_" + st.state(), "message", st.message(), "appId", i.appId(),
        "host", i.hostname(), "ports", i.hostPorts(), "version", i.version(), "healthy", st.healthy());
    if (st.state().isTerminal()) {
      ended(i, st, wasReconciling);
      return;
    }
    if (st.state() == TaskState.UNREACHABLE) {
      if (p.unreachableSince.putIfAbsent(i.taskId(), p.clock.instant()) == null) {
        log.info("instance {} of {} is unreachable (agent {})", i.taskId(), i.appId(), i.agentId());
      }
    } else if (p.unreachableSince.remove(i.taskId()) != null) {
      log.info("instance {} of {} is back: {}", i.taskId(), i.appId(), st.state());
    }
    Boolean healthy = st.healthy() != null ? st.healthy() : st.state() == TaskState.RUNNING ? i.healthy() : null;
    String started = i.startedAt() == null && st.state() == TaskState.RUNNING ? p.now() : i.startedAt();
    Instance next = i.withState(st.state(), healthy, started);
    p.state.instances.put(i.taskId(), next);
    if (!Objects.equals(i.healthy(), healthy) && healthy != null) {
      p.bus.publish("health_status_changed_event", "appId", i.appId(), "taskId", i.taskId(),
          "instanceId", i.taskId(), "version", i.version(), "alive", healthy, "message", st.message());
      if (!healthy) {
        log.info("instance {} of {} is unhealthy ({}): replacing it", i.taskId(), i.appId(), st.message());
        failed(i, st);
      } else {
        log.debug("instance {} of {} is healthy", i.taskId(), i.appId());
      }
    }
    if (i.state() != st.state()) {
      log.debug("instance {} of {} is {}", i.taskId(), i.appId(), st.state());
    }
  }

  private void ended(Instance i, TaskStatus st, boolean wasReconciling) {
    p.state.instances.remove(i.taskId());
    p.unreachableSince.remove(i.taskId());
    p.state.ready.remove(i.taskId());
    p.forget(i.taskId());
    boolean neverLaunched = wasReconciling && st.state() == TaskState.GONE;
    if (i.killRequested() || neverLaunched) {
      log.debug("instance {} of {} ended {}", i.taskId(), i.appId(), st.state());
      return;
    }
    log.info("instance {} of {} ended {} ({}); it will be replaced", i.taskId(), i.appId(), st.state(),
        st.message() == null ? st.reason() : st.message());
    failed(i, st);
  }

  private void failed(Instance i, TaskStatus st) {
    AppDefinition app = p.state.apps.get(i.appId());
    if (app == null) {
      return;
    }
    Instant now = p.clock.instant();
    if (app.configVersion().equals(i.version())) {
      p.state.backoffs.put(app.id(), p.state.backoffs.getOrDefault(app.id(), Backoff.NONE).failed(app, now));
    }
    Map<String, Object> failure = new LinkedHashMap<>();
    failure.put("appId", app.id());
    failure.put("host", i.hostname());
    failure.put("message", st.message() == null ? "" : st.message());
    failure.put("state", "TASK_" + st.state());
    failure.put("taskId", i.taskId());
    failure.put("timestamp", now.toString());
    failure.put("version", i.version());
    failure.put("slaveId", i.agentId());
    p.state.lastFailures.put(app.id(), failure);
    if (st.state() == TaskState.FAILED && i.agentId() != null) {
      addStderrTail(app.id(), i, failure);
    }
  }

  /**
   * Reads the end of the failed task's stderr from its agent, off the loop, and adds it to the
   * app's last failure (if it still is the last): "exited with status 127" alone rarely says why.
   */
  private void addStderrTail(String appId, Instance i, Map<String, Object> failure) {
    if (!p.readingStderr.add(appId)) {
      return; // one read per app at a time: a crash loop of many instances costs one
    }
    String frameworkId = p.state.frameworkId;
    p.calls.execute(() -> {
      String tail = null;
      try {
        tail = p.operator.sandboxTail(frameworkId, i.agentId(), i.taskId(), "stderr", STDERR_TAIL);
      } catch (RuntimeException e) {
        log.debug("cannot read the stderr of {}: {}", i.taskId(), e.getMessage());
      }
      String read = tail;
      p.loop.execute("stderr of " + i.taskId(), () -> {
        p.readingStderr.remove(appId);
        if (read != null && !read.isBlank() && p.state.lastFailures.get(appId) == failure) {
          Map<String, Object> withTail = new LinkedHashMap<>(failure);
          withTail.put("message", failure.get("message") + "; stderr: "
              + read.strip().lines().reduce((a, b) -> a + " | " + b).orElse(""));
          withTail.put("stderr", read);
          // The queue's reason picks it up at the next convergence.
          p.state.lastFailures.put(appId, withTail);
        }
      });
    });
  }
}
