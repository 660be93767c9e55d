package io.trellis.master.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.client.discovery.MasterInfo;
import io.trellis.client.discovery.ZkLayout;
import io.trellis.client.discovery.ZkMasterDetector;
import io.trellis.master.state.Fence;
import io.trellis.master.state.FencedException;
import io.trellis.master.state.ZkStateStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two masters contending through a real embedded ZooKeeper. */
class LeaderElectionTest {
  private static final AtomicInteger roots = new AtomicInteger();
  private static TestingServer server;
  private static String connectString;
  private final BlockingQueue<String> winners = new LinkedBlockingQueue<>();
  private String root;
  private Contender a;
  private Contender b;

  @BeforeAll
  static void startZooKeeper() throws Exception {
    server = new TestingServer(true);
    connectString = "127.0.0.1:" + server.getPort();
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    server.close();
  }

  @BeforeEach
  void contenders() throws Exception {
    root = "/election" + roots.incrementAndGet();
    a = new Contender(connectString, root, "m-a", 5051, winners);
    b = new Contender(connectString, root, "m-b", 5052, winners);
  }

  @AfterEach
  void closeContenders() {
    a.close();
    b.close();
  }

  private Contender awaitWinner() throws InterruptedException {
    String id = winners.poll(Contender.WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(id, "no master was elected within " + Contender.WAIT_SECONDS + "s");
    return id.equals(a.id) ? a : b;
  }

  private Contender other(Contender c) {
    return c == a ? b : a;
  }

  @Test
  void exactlyOneOfTwoContendersLeadsAndPublishesItself() throws Exception {
    a.start();
    b.start();
    Contender leader = awaitWinner();
    Contender standby = other(leader);
    Fence fence = leader.awaitElected();
    assertEquals(1, fence.epoch());
    assertTrue(leader.election.isLeader());
    assertEquals(Optional.of(fence), leader.election.fence());
    assertFalse(standby.election.isLeader());
    assertEquals(Optional.empty(), standby.election.fence());
    assertTrue(standby.elected.isEmpty());

    MasterInfo published = new MasterInfo(leader.id, leader.endpoint, 1);
    assertEquals(Optional.of(published), standby.election.leader(), "a standby reads who leads, to redirect");
    assertEquals(Optional.of(published), leader.election.leader());
  }

  @Test
  void closingTheLeaderElectsTheOtherInAHigherEpoch() throws Exception {
    a.start();
    b.start();
    Contender first = awaitWinner();
    Contender second = other(first);
    Fence firstFence = first.awaitElected();

    first.election.close();
    assertEquals(first.id, first.revoked.poll(), "the leader hears it stepped down before close returns");
    assertFalse(first.election.isLeader());

    assertEquals(second.id, awaitWinner().id);
    Fence secondFence = second.awaitElected();
    assertTrue(secondFence.epoch() > firstFence.epoch(), secondFence + " after " + firstFence);
    assertEquals(Optional.of(new MasterInfo(second.id, second.endpoint, secondFence.epoch())), second.election.leader());
  }

  @Test
  void lostSessionRevokesTheLeaderAndFencesItsWrites() throws Exception {
    a.start();
    Fence aFence = a.awaitElected();
    b.start();
    ZkStateStore aStore = new ZkStateStore(a.client, new ZkLayout(root).state(), aFence);
    aStore.put("agents", "agent-1", "from m-a");

    a.client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    a.awaitRevoked();
    Fence bFence = b.awaitElected();
    assertEquals(2, bFence.epoch());
    assertEquals(Optional.of(new MasterInfo(b.id, b.endpoint, 2)), b.election.leader());

    assertThrows(FencedException.class, () -> aStore.put("agents", "agent-1", "stale write of m-a"));
    ZkStateStore bStore = new ZkStateStore(b.client, new ZkLayout(root).state(), bFence);
    assertEquals("from m-a", bStore.get("agents", "agent-1").orElseThrow().text());
    bStore.put("agents", "agent-1", "from m-b");

    b.election.close();
    Fence aAgain = a.awaitElected();
    assertEquals(3, aAgain.epoch(), "the revoked master contended again as a standby");
  }

  @Test
  void detectorFollowsTheElectedLeader() throws Exception {
    try (ZkMasterDetector detector = new ZkMasterDetector(a.client, root)) {
      a.start();
      b.start();
      Contender first = awaitWinner();
      MasterInfo firstInfo = detector.await(Duration.ofSeconds(Contender.WAIT_SECONDS));
      assertEquals(new MasterInfo(first.id, first.endpoint, 1), firstInfo);

      Contender second = other(first);
      first.election.close();
      MasterInfo next = detector.awaitChange(firstInfo, Duration.ofSeconds(Contender.WAIT_SECONDS));
      assertEquals(second.id, next.id());
      assertEquals(second.endpoint, next.endpoint());
      assertEquals(2, next.epoch());
    }
  }

  @Test
  void closingAStandbyLeavesTheLeaderInPlace() throws Exception {
    a.start();
    Fence fence = a.awaitElected();
    b.start();
    b.election.close();
    assertTrue(b.revoked.isEmpty(), "a standby that never led hears no revocation");
    assertEquals(Optional.of(fence), a.election.fence());
    assertEquals(Optional.of(new MasterInfo(a.id, a.endpoint, 1)), a.election.leader());
  }

  @Test
  void noLeaderInfoBeforeAnyElection() {
    assertEquals(Optional.empty(), a.election.leader());
  }

  @Test
  void badEndpointOrIdIsRejectedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LeaderElection(a.client, root, "m-c", "127.0.0.1", new LeaderElection.Listener() {
          @Override
          public void onElected(Fence fence) {}

          @Override
          public void onRevoked() {}
        }));
    assertEquals("bad master endpoint '127.0.0.1': it has no port; expected host:port", e.getMessage());
  }

  @Test
  void startingTwiceIsRefused() {
    a.start();
    IllegalStateException e = assertThrows(IllegalStateException.class, a.election::start);
    assertNotEquals(-1, e.getMessage().indexOf("already started"), e.getMessage());
  }
}
