package io.trellis.hadoop.flex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.TaskState;
import io.trellis.hadoop.profile.Profile;
import io.trellis.hadoop.profile.Profiles;
import io.trellis.hadoop.yarn.YarnView;
import io.trellis.testkit.SimulatedTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The flex decisions on simulated time: YARN's view is given, the actions returned are checked. */
class NodeManagersTest {
  final SimulatedTime time = new SimulatedTime();
  final Profiles profiles = Profiles.parse(Profiles.DEFAULTS, 512);
  final Profile small = profiles.require("small");

  NodeManagers nms(int min, int max, boolean auto) {
    return new NodeManagers(new FlexSettings(min, max, auto, small, Duration.ofSeconds(30), Duration.ofSeconds(5),
        Duration.ofSeconds(120), 600), time);
  }

  static YarnView.Snapshot yarn(YarnView.Demand demand, YarnView.Node... nodes) {
    Map<String, YarnView.Node> m = new HashMap<>();
    for (YarnView.Node n : nodes) {
      m.put(n.nodeId(), n);
    }
    return new YarnView.Snapshot(m, demand);
  }

  static YarnView.Demand pending(int containers, long mb, long availableMb) {
    return new YarnView.Demand(containers, mb, containers, availableMb, 0, 0, 1);
  }

  /** Launches the next waiting flexup as task {@code id} with node {@code node}, running. */
  static void launch(NodeManagers n, String id, String node) {
    n.launched(id, "agent-1", node, List.of(1, 2, 3, 4));
    n.taskUpdate(id, TaskState.RUNNING, null);
  }

  @Test
  void pendingContainersThatDoNotFitAddOneNodeManagerAtATime() {
    NodeManagers n = nms(0, 4, true);
    n.tick(yarn(pending(2, 1024, 0)), true);
    assertEquals(1, n.planned());
    assertTrue(n.wantsOffers());
    assertTrue(n.status().waiting().get(0).reason().contains("YARN has 2 pending containers (1024 MB) and 0 MB free"));
    n.tick(yarn(pending(2, 1024, 0)), true);
    assertEquals(1, n.planned(), "no second flexup while the first waits");
    launch(n, "t1", "h:1");
    n.tick(yarn(pending(2, 1024, 0)), true);
    assertEquals(1, n.planned(), "none while the new NM has not registered");
    n.tick(yarn(pending(2, 1024, 0), new YarnView.Node("h:1", "RUNNING", 0)), true);
    assertEquals(2, n.planned(), "demand still unmet once it registered: one more");
  }

  @Test
  void containersThatSeemToFitWaitTheStarvationDelayBeforeAnotherNodeManager() {
    NodeManagers n = nms(0, 4, true);
    YarnView.Node one = new YarnView.Node("h:1", "RUNNING", 1);
    n.flexUp(1, small, "test");
    launch(n, "t1", "h:1");
    n.tick(yarn(pending(1, 512, 1024), one), true);
    assertEquals(1, n.planned());
    time.advance(Duration.ofSeconds(5));
    n.tick(yarn(pending(1, 512, 1024), one), true);
    assertEquals(2, n.planned());
  }

  @Test
  void idleNodeManagersAreDecommissionedAfterTheGracePeriodDownToTheMinimumThenKilledOnceDecommissioned() {
    NodeManagers n = nms(1, 4, true);
    n.flexUp(2, small, "test");
    launch(n, "t1", "h:1");
    launch(n, "t2", "h:2");
    YarnView.Snapshot idle = yarn(YarnView.Demand.NONE, new YarnView.Node("h:1", "RUNNING", 0),
        new YarnView.Node("h:2", "RUNNING", 0));
    assertEquals(List.of(), n.tick(idle, true));
    time.advance(Duration.ofSeconds(29));
    assertEquals(List.of(), n.tick(idle, true));
    time.advance(Duration.ofSeconds(1));
    List<Action> actions = n.tick(idle, true);
    assertEquals(1, actions.size(), actions.toString());
    Action.Decommission d = (Action.Decommission) actions.get(0);
    assertEquals(600, d.timeoutSeconds());
    assertEquals(1, n.planned(), "the minimum stays");
    String leaving = d.nodeId();
    String staying = leaving.equals("h:1") ? "h:2" : "h:1";
    List<Action> after = n.tick(yarn(YarnView.Demand.NONE, new YarnView.Node(leaving, "DECOMMISSIONED", 0),
        new YarnView.Node(staying, "RUNNING", 0)), true);
    assertEquals(1, after.size(), after.toString());
    assertTrue(after.get(0) instanceof Action.Kill, after.toString());
    assertEquals(List.of(), n.taskUpdate(((Action.Kill) after.get(0)).taskId(), TaskState.KILLED, null),
        "a decommissioned node is not forgotten again");
  }

  @Test
  void aNodeManagerWithContainersIsNotIdle() {
    NodeManagers n = nms(0, 4, true);
    n.flexUp(1, small, "test");
    launch(n, "t1", "h:1");
    n.tick(yarn(YarnView.Demand.NONE, new YarnView.Node("h:1", "RUNNING", 2)), true);
    time.advance(Duration.ofMinutes(5));
    assertEquals(List.of(), n.tick(yarn(YarnView.Demand.NONE, new YarnView.Node("h:1", "RUNNING", 2)), true));
  }

  @Test
  void aNodeManagerStillServingAnUnfinishedApplicationIsNotIdle() {
    NodeManagers n = nms(0, 4, true);
    n.flexUp(1, small, "test");
    launch(n, "t1", "h:1");
    YarnView.Snapshot shuffle = yarn(YarnView.Demand.NONE, new YarnView.Node("h:1", "RUNNING", 0, 1));
    n.tick(shuffle, true);
    time.advance(Duration.ofMinutes(5));
    assertEquals(List.of(), n.tick(shuffle, true));
    YarnView.Snapshot done = yarn(YarnView.Demand.NONE, new YarnView.Node("h:1", "RUNNING", 0, 0));
    n.tick(done, true);
    time.advance(Duration.ofSeconds(30));
    assertEquals(1, n.tick(done, true).size());
  }

  @Test
  void aTaskThatDiesUnexpectedlyIsForgottenByYarn() {
    NodeManagers n = nms(0, 4, false);
    n.flexUp(1, small, "test");
    launch(n, "t1", "h:1");
    n.tick(yarn(YarnView.Demand.NONE, new YarnView.Node("h:1", "RUNNING", 1)), true);
    List<Action> actions = n.taskUpdate("t1", TaskState.FAILED, "exit 137");
    assertEquals(List.of(new Action.Forget("h:1", "its task t1 is FAILED")), actions);
    assertEquals(0, n.planned());
  }

  @Test
  void aNodeYarnCountsWithoutATaskIsForgottenOnceReconciled() {
    NodeManagers n = nms(0, 4, false);
    YarnView.Snapshot s = yarn(YarnView.Demand.NONE, new YarnView.Node("h:9", "RUNNING", 0));
    assertEquals(List.of(), n.tick(s, false));
    assertEquals(List.of(new Action.Forget("h:9", "no NodeManager task of this framework backs it")), n.tick(s, true));
  }

  @Test
  void aTaskThatNeverRegistersIsKilledAfterTheRegistrationTimeout() {
    NodeManagers n = nms(0, 4, false);
    n.flexUp(1, small, "test");
    launch(n, "t1", "h:1");
    time.advance(Duration.ofSeconds(120));
    assertEquals(List.of(), n.tick(yarn(YarnView.Demand.NONE), true));
    time.advance(Duration.ofSeconds(1));
    List<Action> actions = n.tick(yarn(YarnView.Demand.NONE), true);
    assertEquals(1, actions.size());
    assertTrue(((Action.Kill) actions.get(0)).reason().contains("did not register"));
  }

  @Test
  void flexdownTakesWaitingFlexupsFirstThenTheLeastBusyAndNeverGoesBelowTheMinimum() {
    NodeManagers n = nms(1, 5, false);
    n.flexUp(3, small, "test");
    launch(n, "t1", "h:1");
    launch(n, "t2", "h:2");
    n.tick(yarn(YarnView.Demand.NONE, new YarnView.Node("h:1", "RUNNING", 3), new YarnView.Node("h:2", "RUNNING", 0)),
        true);
    IllegalArgumentException below = assertThrows(IllegalArgumentException.class, () -> n.flexDown(3));
    assertEquals("flexdown of 3 would leave 0 NodeManagers, below the minimum 1; lower --min or flex down fewer",
        below.getMessage());
    assertEquals(3, n.planned(), "nothing changed");
    List<Action> actions = n.flexDown(2);
    assertEquals(List.of(new Action.Decommission("h:2", 600, "flexdown requested")), actions);
    assertEquals(1, n.planned());
    assertEquals(0, n.status().waiting().size());
  }

  @Test
  void flexupAboveTheMaximumIsRefusedAndNothingChanges() {
    NodeManagers n = nms(0, 2, false);
    n.flexUp(1, small, "test");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.flexUp(2, small, "test"));
    assertEquals("flexup of 2 would make 3 NodeManagers, above the maximum 2 (1 running or waiting)", e.getMessage());
    assertEquals(1, n.planned());
  }

  @Test
  void anAdoptedNodeManagerCountsAndIsNotLaunchedAgain() {
    NodeManagers n = nms(1, 4, true);
    n.adopt("t1", "agent-1", small, "h:1", List.of(1, 2, 3, 4), TaskState.RUNNING);
    assertEquals(1, n.planned());
    assertEquals(List.of(), n.tick(yarn(YarnView.Demand.NONE, new YarnView.Node("h:1", "RUNNING", 0)), true));
    assertEquals(1, n.planned(), "the minimum is met by the adopted NM");
    assertTrue(!n.wantsOffers());
  }
}
