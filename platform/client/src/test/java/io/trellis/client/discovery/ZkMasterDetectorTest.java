package io.trellis.client.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The detector against a real embedded ZooKeeper; the leader info is written here as a master would. */
class ZkMasterDetectorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static TestingServer server;
  private static String servers;
  private CuratorFramework client;
  private ZkLayout layout;
  private ZkMasterDetector detector;
  private final BlockingQueue<Optional<MasterInfo>> changes = new LinkedBlockingQueue<>();

  @BeforeAll
  static void startZooKeeper() throws Exception {
    server = new TestingServer(true);
    servers = "127.0.0.1:" + server.getPort();
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    server.close();
  }

  @BeforeEach
  void connect(TestInfo test) throws Exception {
    client = CuratorFrameworkFactory.newClient(servers, 5_000, 3_000, new RetryOneTime(100));
    client.start();
    assertTrue(client.blockUntilConnected(10, TimeUnit.SECONDS));
    layout = new ZkLayout("/" + test.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void close() {
    if (detector != null) {
      detector.close();
    }
    client.close();
  }

  private ZkMasterDetector startDetector() {
    detector = new ZkMasterDetector(client, layout.root());
    detector.addListener(changes::add);
    return detector;
  }

  private void publish(MasterInfo info) throws Exception {
    if (client.checkExists().forPath(layout.leaderInfo()) == null) {
      client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(layout.leaderInfo(), info.toJson());
    } else {
      client.setData().forPath(layout.leaderInfo(), info.toJson());
    }
  }

  private Optional<MasterInfo> nextChange() throws InterruptedException {
    Optional<MasterInfo> change = changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (change == null) {
      throw new AssertionError("no leader change within " + WAIT);
    }
    return change;
  }

  @Test
  void withoutLeaderAwaitSaysWhereItLookedAndWhatToCheck() {
    startDetector();
    NoLeadingMasterException e = assertThrows(NoLeadingMasterException.class,
        () -> detector.await(Duration.ofMillis(200)));
    assertEquals("no leading master at zk://" + servers + "/withoutLeaderAwaitSaysWhereItLookedAndWhatToCheck"
        + " after 200ms; is a master running?", e.getMessage());
    assertEquals(Optional.empty(), detector.current());
  }

  @Test
  void seesALeaderPublishedBeforeItStarted() throws Exception {
    MasterInfo m1 = new MasterInfo("m1", "127.0.0.1:5050", 1);
    publish(m1);
    startDetector();
    assertEquals(m1, detector.await(WAIT));
  }

  @Test
  void awaitReturnsOnceALeaderIsPublished() throws Exception {
    startDetector();
    CompletableFuture<MasterInfo> waiting = CompletableFuture.supplyAsync(() -> awaitQuietly(detector));
    MasterInfo m1 = new MasterInfo("m1", "127.0.0.1:5050", 1);
    publish(m1);
    assertEquals(m1, waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void listenersHearEveryChangeInOrder() throws Exception {
    startDetector();
    MasterInfo m1 = new MasterInfo("m1", "127.0.0.1:5050", 1);
    MasterInfo m2 = new MasterInfo("m2", "127.0.0.1:5051", 2);
    publish(m1);
    assertEquals(Optional.of(m1), nextChange());
    client.delete().forPath(layout.leaderInfo());
    assertEquals(Optional.empty(), nextChange());
    assertEquals(Optional.empty(), detector.current());
    publish(m2);
    assertEquals(Optional.of(m2), nextChange());
    assertEquals(Optional.of(m2), detector.current());
  }

  @Test
  void awaitChangeWaitsForAnotherLeader() throws Exception {
    MasterInfo m1 = new MasterInfo("m1", "127.0.0.1:5050", 1);
    publish(m1);
    startDetector();
    assertEquals(m1, detector.await(WAIT));
    CompletableFuture<MasterInfo> next = CompletableFuture.supplyAsync(() -> {
      try {
        return detector.awaitChange(m1, WAIT);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    MasterInfo m1Again = new MasterInfo("m1", "127.0.0.1:5050", 2);
    publish(m1Again);
    assertEquals(m1Again, next.get(WAIT.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void awaitChangeWithoutAnotherLeaderNamesTheOldOne() throws Exception {
    MasterInfo m1 = new MasterInfo("m1", "127.0.0.1:5050", 1);
    publish(m1);
    startDetector();
    assertEquals(m1, detector.await(WAIT));
    NoLeadingMasterException e = assertThrows(NoLeadingMasterException.class,
        () -> detector.awaitChange(m1, Duration.ofMillis(100)));
    assertTrue(e.getMessage().startsWith("no leading master other than m1@127.0.0.1:5050 (epoch 1) at zk://"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("after 100ms; is a standby master running?"), e.getMessage());
  }

  @Test
  void malformedLeaderInfoCountsAsNoLeader() throws Exception {
    startDetector();
    MasterInfo m1 = new MasterInfo("m1", "127.0.0.1:5050", 1);
    publish(m1);
    assertEquals(Optional.of(m1), nextChange());
    client.setData().forPath(layout.leaderInfo(), "{\"id\":".getBytes(StandardCharsets.UTF_8));
    assertEquals(Optional.empty(), nextChange());
  }

  @Test
  void closingFailsWaitersAndStopsListeners() throws Exception {
    startDetector();
    CompletableFuture<MasterInfo> waiting = CompletableFuture.supplyAsync(() -> awaitQuietly(detector));
    detector.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void specFromTheFactoryOwnsItsClient() throws Exception {
    MasterInfo m1 = new MasterInfo("m1", "127.0.0.1:5050", 4);
    publish(m1);
    try (MasterDetector fromSpec = MasterDetectors.from("zk://" + servers + layout.root())) {
      assertEquals(m1, fromSpec.await(WAIT));
    }
  }

  @Test
  void unreachableZooKeeperIsNamedInTheError() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String spec = "zk://127.0.0.1:" + closedPort + "/trellis";
    try (MasterDetector unreachable = MasterDetectors.from(spec)) {
      NoLeadingMasterException e = assertThrows(NoLeadingMasterException.class,
          () -> unreachable.await(Duration.ofMillis(300)));
      assertEquals("no leading master at " + spec + " after 300ms; not connected to ZooKeeper at " + spec
          + ": is ZooKeeper running and reachable?", e.getMessage());
    }
  }

  private static MasterInfo awaitQuietly(MasterDetector detector) {
    try {
      return detector.await(WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
