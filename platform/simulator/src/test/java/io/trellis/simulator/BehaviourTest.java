package io.trellis.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.CommandSpec;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Behaviours chosen by task labels, and bad labels named in the failure message. */
class BehaviourTest {
  private final Function<TaskSpec, Behaviour> byLabels = Behaviour.byLabels(Behaviour.runForever());

  private static TaskSpec task(Map<String, String> labels) {
    return new TaskSpec("t", "t", null, "cpus:1;mem:32", CommandSpec.shell("x"), labels, null, null);
  }

  @Test
  void tasksWithoutLabelsGetTheDefault() {
    assertEquals(Behaviour.runForever(), byLabels.apply(task(Map.of())));
  }

  @Test
  void labelsChooseHowAndWhenATaskEnds() {
    assertEquals(Behaviour.finishAfter(Duration.ofMillis(1500)),
        byLabels.apply(task(Map.of(Behaviour.END_LABEL, "finish", Behaviour.AFTER_LABEL, "1.5"))));
    assertEquals(Behaviour.failAfter(Duration.ofSeconds(2)),
        byLabels.apply(task(Map.of(Behaviour.END_LABEL, "FAIL", Behaviour.AFTER_LABEL, "2"))));
    assertEquals(Behaviour.finishAfter(Duration.ofSeconds(3)), byLabels.apply(task(Map.of(Behaviour.AFTER_LABEL, "3"))),
        "a running time alone means finish");
    assertEquals(Behaviour.failAtLaunch(), byLabels.apply(task(Map.of(Behaviour.END_LABEL, "fail-at-launch"))));
    assertEquals(Behaviour.runForever(), byLabels.apply(task(Map.of(Behaviour.END_LABEL, "never"))));
  }

  @Test
  void unreadableLabelsFailTheLaunchNamingTheLabelAndValue() {
    Behaviour notANumber = byLabels.apply(task(Map.of(Behaviour.AFTER_LABEL, "soon")));
    assertTrue(notANumber.failsAtLaunch());
    assertEquals("label simulator.after must be a number of seconds, got 'soon'", notANumber.message());
    Behaviour negative = byLabels.apply(task(Map.of(Behaviour.AFTER_LABEL, "-1")));
    assertEquals("label simulator.after must be >= 0, got '-1'", negative.message());
  }

  @Test
  void impossibleBehavioursAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Behaviour(TaskState.KILLED, Duration.ZERO, null));
    assertTrue(e.getMessage().contains("KILLED"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Behaviour.finishAfter(Duration.ofSeconds(-1)));
  }
}
