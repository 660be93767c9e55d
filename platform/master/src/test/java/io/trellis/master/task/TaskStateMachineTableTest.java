package io.trellis.master.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.TaskState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (state, event) pair: the live states against a table written out by hand, the terminal
 * states and all pairs against the invariants of {@link TaskStateMachine}.
 */
class TaskStateMachineTableTest {

  /** Representative events, one name each; every agent-reportable value and every event kind. */
  static final Map<String, TaskEvent> EVENTS = new LinkedHashMap<>();

  static {
    for (TaskState s : TaskState.values()) {
      EVENTS.put("report:" + s, new TaskEvent.AgentReported(s, "REASON_X", "message of " + s, null));
    }
    EVENTS.put("health:true", new TaskEvent.AgentReported(TaskState.RUNNING,
        "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", "HTTP GET returned 200", null, true));
    EVENTS.put("health:false", new TaskEvent.AgentReported(TaskState.RUNNING,
        "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", "HTTP GET returned 500 (3 consecutive failures)", null, false));
    EVENTS.put("kill", new TaskEvent.KillRequested());
    EVENTS.put("unreachable", new TaskEvent.AgentUnreachable());
    EVENTS.put("lost", new TaskEvent.AgentLost());
    EVENTS.put("reregistered:running", new TaskEvent.AgentReregistered(true));
    EVENTS.put("reregistered:gone", new TaskEvent.AgentReregistered(false));
    EVENTS.put("rejected", new TaskEvent.LaunchRejected("cpus must be > 0"));
    EVENTS.put("unknown", new TaskEvent.ReconcileUnknown());
    EVENTS.put("removed", new TaskEvent.FrameworkRemoved());
    EVENTS.put("timedout", new TaskEvent.LaunchTimedOut("not started within 300 s"));
  }

  /**
   * current state | event | new state | effects: K kill, R release, F forward (of the new state),
   * H record health, I ignore.
   */
  static final String TABLE = """
      STAGING     | report:STAGING       | STAGING     | I
      STAGING     | report:STARTING      | STARTING    | F
      STAGING     | report:RUNNING       | RUNNING     | F
      STAGING     | report:KILLING       | KILLING     | F
      STAGING     | report:FINISHED      | FINISHED    | R,F
      STAGING     | report:FAILED        | FAILED      | R,F
      STAGING     | report:KILLED        | KILLED      | R,F
      STAGING     | report:UNREACHABLE   | STAGING     | I
      STAGING     | report:LOST          | STAGING     | I
      STAGING     | report:GONE          | GONE        | R,F
      STAGING     | report:ERROR         | STAGING     | I
      STAGING     | health:true          | RUNNING     | H,F
      STAGING     | health:false         | RUNNING     | H,F
      STAGING     | kill                 | KILLED      | K,R,F
      STAGING     | unreachable          | UNREACHABLE | F
      STAGING     | lost                 | LOST        | R,F
      STAGING     | reregistered:running | STAGING     | I
      STAGING     | reregistered:gone    | GONE        | R,F
      STAGING     | rejected             | ERROR       | R,F
      STAGING     | unknown              | GONE        | R,F
      STARTING    | report:STAGING       | STARTING    | I
      STARTING    | report:STARTING      | STARTING    | F
      STARTING    | report:RUNNING       | RUNNING     | F
      STARTING    | report:KILLING       | KILLING     | F
      STARTING    | report:FINISHED      | FINISHED    | R,F
      STARTING    | report:FAILED        | FAILED      | R,F
      STARTING    | report:KILLED        | KILLED      | R,F
      STARTING    | report:UNREACHABLE   | STARTING    | I
      STARTING    | report:LOST          | STARTING    | I
      STARTING    | report:GONE          | GONE        | R,F
      STARTING    | report:ERROR         | STARTING    | I
      STARTING    | health:true          | RUNNING     | H,F
      STARTING    | health:false         | RUNNING     | H,F
      STARTING    | kill                 | KILLING     | K
      STARTING    | unreachable          | UNREACHABLE | F
      STARTING    | lost                 | LOST        | R,F
      STARTING    | reregistered:running | STARTING    | I
      STARTING    | reregistered:gone    | GONE        | R,F
      STARTING    | rejected             | STARTING    | I
      STARTING    | unknown              | GONE        | R,F
      RUNNING     | report:STAGING       | RUNNING     | I
      RUNNING     | report:STARTING      | RUNNING     | I
      RUNNING     | report:RUNNING       | RUNNING     | F
      RUNNING     | report:KILLING       | KILLING     | F
      RUNNING     | report:FINISHED      | FINISHED    | R,F
      RUNNING     | report:FAILED        | FAILED      | R,F
      RUNNING     | report:KILLED        | KILLED      | R,F
      RUNNING     | report:UNREACHABLE   | RUNNING     | I
      RUNNING     | report:LOST          | RUNNING     | I
      RUNNING     | report:GONE          | GONE        | R,F
      RUNNING     | report:ERROR         | RUNNING     | I
      RUNNING     | health:true          | RUNNING     | H,F
      RUNNING     | health:false         | RUNNING     | H,F
      RUNNING     | kill                 | KILLING     | K
      RUNNING     | unreachable          | UNREACHABLE | F
      RUNNING     | lost                 | LOST        | R,F
      RUNNING     | reregistered:running | RUNNING     | I
      RUNNING     | reregistered:gone    | GONE        | R,F
      RUNNING     | rejected             | RUNNING     | I
      RUNNING     | unknown              | GONE        | R,F
      KILLING     | report:STAGING       | KILLING     | I
      KILLING     | report:STARTING      | KILLING     | I
      KILLING     | report:RUNNING       | KILLING     | I
      KILLING     | report:KILLING       | KILLING     | F
      KILLING     | report:FINISHED      | FINISHED    | R,F
      KILLING     | report:FAILED        | FAILED      | R,F
      KILLING     | report:KILLED        | KILLED      | R,F
      KILLING     | report:UNREACHABLE   | KILLING     | I
      KILLING     | report:LOST          | KILLING     | I
      KILLING     | report:GONE          | GONE        | R,F
      KILLING     | report:ERROR         | KILLING     | I
      KILLING     | health:true          | KILLING     | I
      KILLING     | health:false         | KILLING     | I
      KILLING     | kill                 | KILLING     | K
      KILLING     | unreachable          | UNREACHABLE | F
      KILLING     | lost                 | LOST        | R,F
      KILLING     | reregistered:running | KILLING     | K
      KILLING     | reregistered:gone    | GONE        | R,F
      KILLING     | rejected             | KILLING     | I
      KILLING     | unknown              | GONE        | R,F
      UNREACHABLE | report:STAGING       | UNREACHABLE | I
      UNREACHABLE | report:STARTING      | STARTING    | F
      UNREACHABLE | report:RUNNING       | RUNNING     | F
      UNREACHABLE | report:KILLING       | KILLING     | F
      UNREACHABLE | report:FINISHED      | FINISHED    | R,F
      UNREACHABLE | report:FAILED        | FAILED      | R,F
      UNREACHABLE | report:KILLED        | KILLED      | R,F
      UNREACHABLE | report:UNREACHABLE   | UNREACHABLE | I
      UNREACHABLE | report:LOST          | UNREACHABLE | I
      UNREACHABLE | report:GONE          | GONE        | R,F
      UNREACHABLE | report:ERROR         | UNREACHABLE | I
      UNREACHABLE | health:true          | RUNNING     | H,F
      UNREACHABLE | health:false         | RUNNING     | H,F
      UNREACHABLE | kill                 | UNREACHABLE | F
      UNREACHABLE | unreachable          | UNREACHABLE | I
      UNREACHABLE | lost                 | LOST        | R,F
      UNREACHABLE | reregistered:running | RUNNING     | F
      UNREACHABLE | reregistered:gone    | GONE        | R,F
      UNREACHABLE | rejected             | UNREACHABLE | I
      UNREACHABLE | unknown              | GONE        | R,F
      STAGING     | removed              | KILLED      | K,R,F
      STARTING    | removed              | KILLED      | K,R,F
      RUNNING     | removed              | KILLED      | K,R,F
      KILLING     | removed              | KILLED      | K,R,F
      UNREACHABLE | removed              | KILLED      | K,R,F
      STAGING     | timedout             | FAILED      | K,R,F
      STARTING    | timedout             | STARTING    | I
      RUNNING     | timedout             | RUNNING     | I
      KILLING     | timedout             | KILLING     | I
      UNREACHABLE | timedout             | UNREACHABLE | I
      """;

  static Stream<Arguments> liveRows() {
    return TABLE.lines().map(line -> line.split("\\|"))
        .map(cells -> Arguments.of(TaskState.valueOf(cells[0].trim()), cells[1].trim(),
            TaskState.valueOf(cells[2].trim()), cells[3].trim()));
  }

  static Stream<Arguments> allPairs() {
    List<Arguments> pairs = new ArrayList<>();
    for (TaskState s : TaskState.values()) {
      EVENTS.forEach((name, event) -> pairs.add(Arguments.of(s, name)));
    }
    return pairs.stream();
  }

  static Stream<Arguments> terminalPairs() {
    return allPairs().filter(a -> ((TaskState) a.get()[0]).isTerminal());
  }

  @ParameterizedTest(name = "{0} + {1} -> {2} [{3}]")
  @MethodSource("liveRows")
  void liveStateFollowsTheTable(TaskState current, String event, TaskState expected, String effects) {
    Transition t = TaskStateMachine.next(current, EVENTS.get(event));

    assertEquals(expected, t.state(), current + " + " + event);
    assertEquals(effects, codes(t), current + " + " + event + " effects " + t.effects());
  }

  @ParameterizedTest(name = "{0} + {1} is ignored")
  @MethodSource("terminalPairs")
  void terminalStateNeverChanges(TaskState terminal, String event) {
    Transition t = TaskStateMachine.next(terminal, EVENTS.get(event));

    assertEquals(terminal, t.state());
    assertTrue(t.ignored(), "effects " + t.effects());
    assertTrue(((Effect.Ignore) t.effects().get(0)).why().contains(terminal.name()));
  }

  @ParameterizedTest(name = "{0} + {1}")
  @MethodSource("allPairs")
  void everyPairKeepsTheInvariants(TaskState current, String event) {
    Transition t = TaskStateMachine.next(current, EVENTS.get(event));
    List<Effect> effects = t.effects();

    assertFalse(effects.isEmpty());
    if (current != TaskState.STAGING) {
      assertNotEquals(TaskState.STAGING, t.state(), "nothing returns to STAGING");
    }
    boolean released = effects.stream().anyMatch(e -> e instanceof Effect.ReleaseResources);
    assertEquals(!current.isTerminal() && t.state().isTerminal(), released,
        "resources are released exactly when a live task ends: " + effects);
    if (effects.stream().anyMatch(e -> e instanceof Effect.Ignore)) {
      assertEquals(1, effects.size(), "an ignore stands alone: " + effects);
      assertEquals(current, t.state(), "an ignored event keeps the state");
    }
    for (Effect e : effects) {
      if (e instanceof Effect.ForwardToFramework f) {
        assertEquals(t.state(), f.state(), "the framework hears the new state");
      }
    }
    if (t.state() != current && t.state() != TaskState.KILLING) {
      assertTrue(effects.stream().anyMatch(e -> e instanceof Effect.ForwardToFramework),
          "every change but a master-side KILLING reaches the framework: " + effects);
    }
  }

  @Test
  void tableCoversEveryLiveStateAndEveryEvent() {
    Set<String> expected = new TreeSet<>();
    for (TaskState s : TaskState.values()) {
      if (!s.isTerminal()) {
        EVENTS.keySet().forEach(e -> expected.add(s + " " + e));
      }
    }
    Set<String> covered = liveRows().map(a -> a.get()[0] + " " + a.get()[1])
        .collect(Collectors.toCollection(TreeSet::new));

    assertEquals(expected, covered);
    assertEquals(expected.size(), TABLE.lines().count(), "no row is given twice");
  }

  @Test
  void representativeEventsCoverEveryEventKindAndEveryReportableState() {
    Set<TaskEvent.Kind> kinds = EnumSet.noneOf(TaskEvent.Kind.class);
    EVENTS.values().forEach(e -> kinds.add(e.kind()));

    assertEquals(EnumSet.allOf(TaskEvent.Kind.class), kinds);
    assertEquals(TaskState.values().length, EVENTS.values().stream()
        .filter(e -> e instanceof TaskEvent.AgentReported r && r.healthy() == null).count());
    assertEquals(2, EVENTS.values().stream()
        .filter(e -> e instanceof TaskEvent.AgentReported r && r.healthy() != null).count());
  }

  /** The effects as a code string such as {@code K,R,F}. */
  private static String codes(Transition t) {
    return t.effects().stream().map(e -> switch (e.kind()) {
      case SEND_KILL_TO_AGENT -> "K";
      case RELEASE_RESOURCES -> "R";
      case FORWARD_TO_FRAMEWORK -> "F";
      case RECORD_HEALTH -> "H";
      case IGNORE -> "I";
    }).collect(Collectors.joining(","));
  }
}
