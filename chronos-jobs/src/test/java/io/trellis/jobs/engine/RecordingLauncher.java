package io.trellis.jobs.engine;

import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The edge of the engine in unit tests: records launches, kills and reconciliations. */
final class RecordingLauncher implements Launcher {
  final List<Launch> launched = new ArrayList<>();
  final Map<String, Launch> running = new LinkedHashMap<>();
  final List<String> killed = new ArrayList<>();
  final List<String> reconciled = new ArrayList<>();

  @Override
  public void launch(Launch launch) {
    launched.add(launch);
    running.put(launch.task().taskId(), launch);
  }

  @Override
  public boolean kill(String taskId) {
    killed.add(taskId);
    return false;
  }

  @Override
  public void reconcile(Collection<String> taskIds) {
    reconciled.addAll(taskIds);
  }

  /** Ends every running task with {@code state}, delivering the updates to the engine. */
  void endAll(JobEngine engine, TaskState state, Integer exitCode) {
    for (String id : List.copyOf(running.keySet())) {
      end(engine, id, state, exitCode);
    }
  }

  void end(JobEngine engine, String taskId, TaskState state, Integer exitCode) {
    running.remove(taskId);
    engine.onUpdate(status(taskId, TaskState.RUNNING, null));
    engine.onUpdate(status(taskId, state, exitCode));
  }

  static TaskStatus status(String taskId, TaskState state, Integer exitCode) {
    return new TaskStatus(taskId, "fw", "agent-1", state, null, null, exitCode, null, 0);
  }

  List<String> launchedJobs() {
    return launched.stream().map(l -> l.task().name()).toList();
  }
}
