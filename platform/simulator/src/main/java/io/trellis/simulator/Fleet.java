package io.trellis.simulator;

import io.trellis.api.AgentProtocol;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated agents and their tasks: launches, kills, acknowledgements, and the tasks that end
 * by themselves. Runs on the simulator's thread; counters may be read from any thread.
 */
final class Fleet {
  private static final Logger log = LoggerFactory.getLogger(Fleet.class);
  final List<SimAgent> agents;
  private final Function<TaskSpec, Behaviour> behaviour;
  private final ScheduledExecutorService loop;
  private final InstantSource clock;
  private final Runnable changed;
  /** Tasks with updates not yet acknowledged. */
  final Set<SimTask> unacknowledged = new LinkedHashSet<>();
  /**
   * Tasks whose first pending update is to be sent (never sent, or due again), oldest first:
   * sending takes from here instead of looking through every unacknowledged task each time.
   */
  final ArrayDeque<SimTask> unsent = new ArrayDeque<>();

  final AtomicLong launched = new AtomicLong();
  final AtomicInteger running = new AtomicInteger();
  final AtomicLong finished = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong killed = new AtomicLong();

  Fleet(List<SimAgent> agents, Function<TaskSpec, Behaviour> behaviour, ScheduledExecutorService loop,
      InstantSource clock, Runnable changed) {
    this.agents = List.copyOf(agents);
    this.behaviour = behaviour;
    this.loop = loop;
    this.clock = clock;
    this.changed = changed;
  }

  SimAgent agent(int number) {
    return number >= 0 && number < agents.size() ? agents.get(number) : null;
  }

  void launch(SimAgent agent, AgentProtocol.Launch launch) {
    String key = SimTask.key(launch.frameworkId(), launch.task().taskId());
    if (agent.tasks.containsKey(key)) {
      log.debug("task {} is already on {}; ignoring a repeated launch", key, agent.hostname);
      return;
    }
    SimTask t = new SimTask(agent, launch);
    agent.tasks.put(key, t);
    launched.incrementAndGet();
    Behaviour b = behaviour.apply(launch.task());
    // Nothing starts, so there is no STARTING to report: RUNNING (or the failure) at once, which
    // also spares each task a round trip through the framework's acknowledgement.
    if (b.failsAtLaunch()) {
      update(t, TaskState.FAILED, "REASON_CONTAINER_LAUNCH_FAILED", b.message());
    } else {
      update(t, TaskState.RUNNING, null, null);
      if (b.end() != null) {
        t.end = loop.schedule(() -> {
          if (t.state == TaskState.RUNNING) {
            update(t, b.end(), b.end() == TaskState.FAILED ? "REASON_COMMAND_EXECUTOR_FAILED" : null, b.message());
            changed.run();
          }
        }, b.after().toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    changed.run();
  }

  void kill(SimAgent agent, AgentProtocol.Kill kill) {
    SimTask t = agent.tasks.get(SimTask.key(kill.frameworkId(), kill.taskId()));
    if (t == null || t.state.isTerminal()) {
      return;
    }
    if (t.end != null) {
      t.end.cancel(false);
    }
    update(t, TaskState.KILLED, "REASON_TASK_KILLED", "killed");
    changed.run();
  }

  void acknowledge(SimAgent agent, AgentProtocol.Acknowledge ack) {
    for (SimTask t : agent.tasks.values()) {
      if (t.launch.task().taskId().equals(ack.taskId())) {
        TaskStatus head = t.pending.peekFirst();
        if (t.pending.removeIf(s -> s.uuid().equals(ack.uuid())) && head != null && head.uuid().equals(ack.uuid())) {
          t.sentAt = 0;
          t.retries = 0;
          if (!t.pending.isEmpty()) {
            toSend(t);
          }
        }
        if (t.pending.isEmpty()) {
          unacknowledged.remove(t);
          if (t.state.isTerminal()) {
            agent.tasks.remove(t.key());
          }
        }
        changed.run();
        return;
      }
    }
  }

  /** The tasks an agent reports when it registers: those not yet ended and acknowledged. */
  List<AgentProtocol.RunningTask> tasksOf(SimAgent agent) {
    List<AgentProtocol.RunningTask> out = new ArrayList<>();
    for (SimTask t : agent.tasks.values()) {
      out.add(new AgentProtocol.RunningTask(t.launch.frameworkId(), t.launch.role(), t.launch.task(), t.state));
    }
    return out;
  }

  private void update(SimTask t, TaskState state, String reason, String message) {
    TaskState before = t.state;
    t.state = state;
    if (before == TaskState.RUNNING && state != TaskState.RUNNING) {
      running.decrementAndGet();
    }
    switch (state) {
      case RUNNING -> running.incrementAndGet();
      case FINISHED -> finished.incrementAndGet();
      case FAILED -> failed.incrementAndGet();
      case KILLED -> killed.incrementAndGet();
      default -> { }
    }
    boolean idle = t.pending.isEmpty();
    t.pending.addLast(new TaskStatus(t.launch.task().taskId(), t.launch.frameworkId(), t.agent.id, state, reason,
        message, state == TaskState.FINISHED ? Integer.valueOf(0) : null, UUID.randomUUID().toString(),
        clock.millis() / 1000.0));
    unacknowledged.add(t);
    if (idle) {
      t.sentAt = 0;
      toSend(t);
    }
  }

  /** Queues the task's first pending update for sending (once, however often called). */
  void toSend(SimTask t) {
    if (!t.queued) {
      t.queued = true;
      unsent.addLast(t);
    }
  }
}
