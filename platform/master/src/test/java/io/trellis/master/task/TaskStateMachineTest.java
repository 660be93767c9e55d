package io.trellis.master.task;

import static io.trellis.master.task.TaskStateMachine.next;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.TaskState;
import io.trellis.master.task.Effect.ForwardToFramework;
import io.trellis.master.task.Effect.Ignore;
import io.trellis.master.task.Effect.ReleaseResources;
import io.trellis.master.task.Effect.SendKillToAgent;
import io.trellis.master.task.TaskEvent.AgentLost;
import io.trellis.master.task.TaskEvent.AgentReported;
import io.trellis.master.task.TaskEvent.AgentReregistered;
import io.trellis.master.task.TaskEvent.AgentUnreachable;
import io.trellis.master.task.TaskEvent.KillRequested;
import io.trellis.master.task.TaskEvent.LaunchRejected;
import io.trellis.master.task.TaskEvent.ReconcileUnknown;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaskStateMachineTest {

  private static AgentReported report(TaskState s) {
    return new AgentReported(s, null, null, null);
  }

  @Test
  void killOfStagingTaskKillsItAtOnceReleasesResourcesAndTellsTheFramework() {
    Transition t = next(TaskState.STAGING, new KillRequested());

    assertEquals(TaskState.KILLED, t.state());
    assertEquals(List.of(new SendKillToAgent(), new ReleaseResources(),
        new ForwardToFramework(TaskState.KILLED, TaskStateMachine.REASON_TASK_KILLED_DURING_LAUNCH,
            "killed before it started")), t.effects());
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class, names = {"STARTING", "RUNNING"})
  void killOfStartedTaskWaitsInKillingUntilTheAgentConfirms(TaskState started) {
    Transition kill = next(started, new KillRequested());
    assertEquals(new Transition(TaskState.KILLING, List.of(new SendKillToAgent())), kill);

    Transition lateRunning = next(kill.state(), report(TaskState.RUNNING));
    assertEquals(TaskState.KILLING, lateRunning.state());
    assertTrue(lateRunning.ignored());

    Transition killed = next(lateRunning.state(),
        new AgentReported(TaskState.KILLED, "REASON_EXECUTOR_TERMINATED", "SIGTERM", 143));
    assertEquals(new Transition(TaskState.KILLED, List.of(new ReleaseResources(),
        new ForwardToFramework(TaskState.KILLED, "REASON_EXECUTOR_TERMINATED", "SIGTERM"))), killed);
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class, names = {"FINISHED", "FAILED"})
  void killingTaskThatExitsOnItsOwnEndsInTheReportedState(TaskState exit) {
    Transition t = next(TaskState.KILLING, report(exit));

    assertEquals(exit, t.state());
    assertEquals(List.of(new ReleaseResources(), new ForwardToFramework(exit, null, null)), t.effects());
  }

  @Test
  void repeatedKillIsSentToTheAgentAgain() {
    assertEquals(List.of(new SendKillToAgent()), next(TaskState.KILLING, new KillRequested()).effects());
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class, names = {"FINISHED", "FAILED", "KILLED", "GONE"})
  void reportedTerminalStateReleasesResourcesAndForwardsTheAgentsReasonAndMessage(TaskState end) {
    Transition t = next(TaskState.RUNNING,
        new AgentReported(end, "REASON_COMMAND_EXECUTOR_FAILED", "exit status 3", 3));

    assertEquals(end, t.state());
    assertEquals(List.of(new ReleaseResources(),
        new ForwardToFramework(end, "REASON_COMMAND_EXECUTOR_FAILED", "exit status 3")), t.effects());
  }

  @Test
  void unreachableAgentKeepsTheResourcesAndForwardsTaskUnreachable() {
    Transition t = next(TaskState.RUNNING, new AgentUnreachable());

    assertEquals(TaskState.UNREACHABLE, t.state());
    assertEquals(1, t.effects().size());
    ForwardToFramework f = (ForwardToFramework) t.effects().get(0);
    assertEquals(TaskState.UNREACHABLE, f.state());
    assertEquals(TaskStateMachine.REASON_AGENT_UNREACHABLE, f.reason());
  }

  @Test
  void agentLostAfterUnreachableLosesTheTaskAndReleasesItsResources() {
    Transition t = next(TaskState.UNREACHABLE, new AgentLost());

    assertEquals(TaskState.LOST, t.state());
    assertEquals(new ReleaseResources(), t.effects().get(0));
    assertEquals(TaskStateMachine.REASON_AGENT_REMOVED,
        ((ForwardToFramework) t.effects().get(1)).reason());
  }

  @Test
  void reregisteredAgentStillRunningTheTaskBringsItBackToRunning() {
    Transition t = next(TaskState.UNREACHABLE, new AgentReregistered(true));

    assertEquals(TaskState.RUNNING, t.state());
    assertEquals(List.of(new ForwardToFramework(TaskState.RUNNING,
        TaskStateMachine.REASON_AGENT_REREGISTERED, "the task's agent is reachable again")), t.effects());
  }

  @Test
  void reregisteredAgentWithoutTheTaskEndsItAsGone() {
    Transition t = next(TaskState.UNREACHABLE, new AgentReregistered(false));

    assertEquals(TaskState.GONE, t.state());
    assertEquals(new ReleaseResources(), t.effects().get(0));
  }

  @Test
  void reregisteredAgentGetsTheKillAgainWhenTheTaskWasBeingKilled() {
    assertEquals(new Transition(TaskState.KILLING, List.of(new SendKillToAgent())),
        next(TaskState.KILLING, new AgentReregistered(true)));
  }

  @Test
  void killOfUnreachableTaskCannotBeDeliveredAndSaysSo() {
    Transition t = next(TaskState.UNREACHABLE, new KillRequested());

    assertEquals(TaskState.UNREACHABLE, t.state());
    ForwardToFramework f = (ForwardToFramework) t.effects().get(0);
    assertEquals(TaskState.UNREACHABLE, f.state());
    assertTrue(f.message().contains("cannot kill"), f.message());
  }

  @Test
  void reportGoingBackwardsIsIgnoredAndNamesBothStates() {
    Transition t = next(TaskState.RUNNING, report(TaskState.STARTING));

    assertEquals(TaskState.RUNNING, t.state());
    String why = ((Ignore) t.effects().get(0)).why();
    assertTrue(why.contains("STARTING") && why.contains("RUNNING"), why);
  }

  @Test
  void repeatedRunningReportIsForwardedAgainBecauseItMayCarryNews() {
    Transition t = next(TaskState.RUNNING,
        new AgentReported(TaskState.RUNNING, "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", "healthy", null));

    assertEquals(List.of(new ForwardToFramework(TaskState.RUNNING,
        "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", "healthy")), t.effects());
  }

  @Test
  void healthChangesOfARunningTaskAreRecordedThenForwardedWithTheAgentsMessage() {
    Transition sick = next(TaskState.RUNNING, new AgentReported(TaskState.RUNNING,
        "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", "HTTP GET returned 500 (3 consecutive failures)", null, false));
    assertEquals(TaskState.RUNNING, sick.state());
    assertEquals(List.of(new Effect.RecordHealth(false), new ForwardToFramework(TaskState.RUNNING,
        "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", "HTTP GET returned 500 (3 consecutive failures)")), sick.effects());

    Transition well = next(sick.state(), new AgentReported(TaskState.RUNNING,
        "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", "HTTP GET returned 200", null, true));
    assertEquals(new Effect.RecordHealth(true), well.effects().get(0));
  }

  @Test
  void healthReportedWhileKillingIsStaleAndNotRecorded() {
    Transition t = next(TaskState.KILLING, new AgentReported(TaskState.RUNNING,
        "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", "unhealthy", null, false));
    assertTrue(t.ignored(), "effects " + t.effects());
  }

  @Test
  void healthOfATaskWhoseAgentCameBackIsRecorded() {
    Transition t = next(TaskState.UNREACHABLE, new AgentReported(TaskState.RUNNING, null, null, null, true));
    assertEquals(TaskState.RUNNING, t.state());
    assertEquals(new Effect.RecordHealth(true), t.effects().get(0));
  }

  @Test
  void agentReportOfAMasterOnlyStateIsIgnoredAndNamed() {
    Transition t = next(TaskState.RUNNING, report(TaskState.LOST));

    assertEquals(TaskState.RUNNING, t.state());
    assertTrue(((Ignore) t.effects().get(0)).why().contains("LOST"));
  }

  @Test
  void rejectedLaunchEndsInErrorWithTheValidationMessage() {
    Transition t = next(TaskState.STAGING, new LaunchRejected("task t1 needs cpus > 0, got 'mem:64'"));

    assertEquals(TaskState.ERROR, t.state());
    assertEquals(List.of(new ReleaseResources(), new ForwardToFramework(TaskState.ERROR,
        TaskStateMachine.REASON_TASK_INVALID, "task t1 needs cpus > 0, got 'mem:64'")), t.effects());
  }

  @Test
  void taskUnknownToItsAgentIsGone() {
    Transition t = next(TaskState.RUNNING, new ReconcileUnknown());

    assertEquals(TaskState.GONE, t.state());
    assertEquals(List.of(new ReleaseResources(), new ForwardToFramework(TaskState.GONE,
        TaskStateMachine.REASON_RECONCILIATION, "the agent does not know the task")), t.effects());
  }

  @Test
  void finishedTaskStaysFinishedWhateverHappens() {
    Transition t = next(TaskState.FINISHED, new KillRequested());

    assertEquals(TaskState.FINISHED, t.state());
    String why = ((Ignore) t.effects().get(0)).why();
    assertTrue(why.contains("FINISHED") && why.contains("KillRequested"), why);
  }

  @Test
  void missingArgumentsAreRejectedByName() {
    assertEquals("current", assertThrows(NullPointerException.class,
        () -> next(null, new KillRequested())).getMessage());
    assertEquals("event", assertThrows(NullPointerException.class,
        () -> next(TaskState.RUNNING, null)).getMessage());
    assertEquals("reported", assertThrows(NullPointerException.class,
        () -> new AgentReported(null, null, null, null)).getMessage());
  }

  @Test
  void transitionWithoutEffectsIsRefusedNamingTheState() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Transition(TaskState.RUNNING, List.of()));
    assertTrue(e.getMessage().contains("RUNNING"), e.getMessage());
  }

  @Test
  void eachEventAndEffectRecordHasItsOwnKind() {
    List<TaskEvent> events = List.of(report(TaskState.RUNNING), new KillRequested(),
        new AgentUnreachable(), new AgentLost(), new AgentReregistered(true), new LaunchRejected("x"),
        new ReconcileUnknown(), new TaskEvent.FrameworkRemoved(), new TaskEvent.LaunchTimedOut("x"));
    assertEquals(List.of(TaskEvent.Kind.values()), events.stream().map(TaskEvent::kind).toList());

    List<Effect> effects = List.of(new Effect.RecordHealth(true), new ForwardToFramework(TaskState.RUNNING, null, null),
        new SendKillToAgent(), new ReleaseResources(), new Ignore("why"));
    assertEquals(List.of(Effect.Kind.values()), effects.stream().map(Effect::kind).toList());
  }
}
