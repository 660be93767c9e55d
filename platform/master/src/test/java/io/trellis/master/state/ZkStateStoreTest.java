package io.trellis.master.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract against a real embedded ZooKeeper, plus layout and fencing. */
class ZkStateStoreTest extends StateStoreContract {
  private static final AtomicInteger roots = new AtomicInteger();
  private static TestingServer server;
  private static CuratorFramework client;

  @BeforeAll
  static void startZooKeeper() throws Exception {
    server = new TestingServer(true);
    client = CuratorFrameworkFactory.newClient("127.0.0.1:" + server.getPort(), 5_000, 3_000, new RetryOneTime(100));
    client.start();
    assertTrue(client.blockUntilConnected(10, TimeUnit.SECONDS));
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    client.close();
    server.close();
  }

  /** A fresh root for each store: /t{n}/epoch and /t{n}/state. */
  private static String newRoot() {
    return "/t" + roots.incrementAndGet();
  }

  @Override
  StateStore store() {
    String root = newRoot();
    return new ZkStateStore(client, root + "/state", new ZkEpoch(client, root + "/epoch").advance());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eachEntityIsOneZnodeUnderItsCollection() throws Exception {
    String root = newRoot();
    StateStore store = new ZkStateStore(client, root + "/state", new ZkEpoch(client, root + "/epoch").advance());
    store.put("roles", "analytics/spark", "{\"weight\":2}");
    store.put("roles", "web", "{\"weight\":1}");
    assertEquals(List.of("analytics%2Fspark", "web"),
        client.getChildren().forPath(root + "/state/roles").stream().sorted().toList());
    assertArrayEquals(bytes("{\"weight\":2}"), client.getData().forPath(root + "/state/roles/analytics%2Fspark"));
    assertEquals(0, client.getData().forPath(root + "/state/roles").length, "collection znodes hold no data");
  }

  @Test
  void writesOfAnOlderEpochAreFencedAndWriteNothing() throws Exception {
    String root = newRoot();
    ZkEpoch epoch = new ZkEpoch(client, root + "/epoch");
    Fence first = epoch.advance();
    ZkStateStore old = new ZkStateStore(client, root + "/state", first);
    old.put("agents", "a1", "v1");
    old.put("agents", "a2", "v1");

    Fence second = epoch.advance();
    ZkStateStore leader = new ZkStateStore(client, root + "/state", second);
    assertEquals(1, first.epoch());
    assertEquals(2, second.epoch());

    FencedException e = assertThrows(FencedException.class, () -> old.put("agents", "a1", "stale"));
    assertEquals("refused to write agents 'a1': this master (epoch 1) is no longer the leader; a newer leader "
        + "advanced " + root + "/epoch to epoch 2. Stop writing and step down.", e.getMessage());
    assertEquals(1, e.epoch());
    assertThrows(FencedException.class, () -> old.put("agents", "a3", "new"));
    assertThrows(FencedException.class, () -> old.put("frameworks", "f1", "new"));
    assertThrows(FencedException.class, () -> old.putIfVersion("agents", "a1", bytes("stale"), 0));
    assertThrows(FencedException.class, () -> old.putIfVersion("agents", "a4", bytes("new"), StateStore.ABSENT));
    assertThrows(FencedException.class, () -> old.delete("agents", "a2"));
    assertThrows(FencedException.class, () -> old.delete("agents", "never-there"));

    assertEquals(List.of("a1", "a2"), leader.ids("agents"));
    assertEquals(new Versioned(bytes("v1"), 0), leader.get("agents", "a1").orElseThrow());
    assertNull(client.checkExists().forPath(root + "/state/frameworks"), "not even the collection was created");
    assertEquals(1, leader.put("agents", "a1", "v2"), "the new leader writes");
    assertEquals("v2", old.get("agents", "a1").orElseThrow().text(), "a fenced store still reads");
  }

  @Test
  void concurrentCreatesInNewCollectionsAllLand() throws Exception {
    String root = newRoot();
    Fence fence = new ZkEpoch(client, root + "/epoch").advance();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> writes = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String collection = "c" + i % 4;
        String id = "e" + i;
        boolean cas = i % 2 == 0;
        writes.add(pool.submit(() -> {
          ZkStateStore store = new ZkStateStore(client, root + "/state", fence);
          return cas ? store.putIfVersion(collection, id, bytes(id), StateStore.ABSENT) : store.put(collection, id, id);
        }));
      }
      for (Future<Integer> write : writes) {
        assertEquals(0, write.get(30, TimeUnit.SECONDS));
      }
      ZkStateStore store = new ZkStateStore(client, root + "/state", fence);
      for (int c = 0; c < 4; c++) {
        assertEquals(16, store.ids("c" + c).size());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void epochStartsAtOneAndAdvancesByOne() {
    ZkEpoch epoch = new ZkEpoch(client, newRoot() + "/epoch");
    assertEquals(0, epoch.current());
    assertEquals(1, epoch.advance().epoch());
    assertEquals(2, epoch.advance().epoch());
    assertEquals(2, epoch.current());
  }

  @Test
  void concurrentAdvancesEachGetTheirOwnEpoch() throws Exception {
    String path = newRoot() + "/epoch";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Fence>> fences = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        fences.add(pool.submit(() -> new ZkEpoch(client, path).advance()));
      }
      Set<Long> epochs = new TreeSet<>();
      for (Future<Fence> fence : fences) {
        epochs.add(fence.get(30, TimeUnit.SECONDS).epoch());
      }
      assertEquals(40, epochs.size());
      assertEquals(40L, new ZkEpoch(client, path).current());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void corruptEpochIsReportedWithWhatToDo() throws Exception {
    String path = newRoot() + "/epoch";
    client.create().creatingParentsIfNeeded().forPath(path, bytes("seven"));
    StateStoreException e = assertThrows(StateStoreException.class, () -> new ZkEpoch(client, path).advance());
    assertEquals("epoch znode " + path + " holds 'seven', not an epoch number; restore it to the highest epoch "
        + "used (or more) before starting a master", e.getMessage());
  }

  @Test
  void getAllReadsLargeCollections() {
    StateStore store = store();
    for (int i = 0; i < 500; i++) {
      store.put("tasks", String.format("task-%04d", i), "{\"n\":" + i + "}");
    }
    Map<String, Versioned> all = store.getAll("tasks");
    assertEquals(500, all.size());
    assertEquals("{\"n\":499}", all.get("task-0499").text());
    assertEquals("task-0000", all.keySet().iterator().next());
  }

  @Test
  void failuresNameTheEntityAndThePath() throws Exception {
    String root = newRoot();
    CuratorFramework closing = CuratorFrameworkFactory.newClient("127.0.0.1:" + server.getPort(), 5_000, 3_000,
        new RetryOneTime(10));
    closing.start();
    assertTrue(closing.blockUntilConnected(10, TimeUnit.SECONDS));
    ZkStateStore store = new ZkStateStore(closing, root + "/state", new ZkEpoch(closing, root + "/epoch").advance());
    closing.close();
    StateStoreException e = assertThrows(StateStoreException.class, () -> store.get("agents", "a1"));
    assertTrue(e.getMessage().startsWith("cannot read agents 'a1' at " + root + "/state/agents/a1: "), e.getMessage());
    assertNotNull(e.getCause());
  }
}
