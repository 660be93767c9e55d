package io.trellis.security.zk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ZkAclsTest {
  private static final byte[] STATE = "{\"agents\":[]}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LEADER = "{\"endpoint\":\"127.0.0.1:5050\"}".getBytes(StandardCharsets.UTF_8);
  static TestingServer zk;
  static CuratorFramework trellis;

  @BeforeAll
  static void start() throws Exception {
    zk = new TestingServer(true);
    trellis = client(new ZkCredentials("trellis", "s3cret"));
    trellis.create().creatingParentsIfNeeded().forPath("/trellis/state/agents/a1", STATE);
    trellis.create().creatingParentsIfNeeded().forPath("/trellis/leader-info", LEADER);
    trellis.create().creatingParentsIfNeeded().forPath("/trellis/leader/_c_1-latch-0000000001", LEADER);
  }

  @AfterAll
  static void stop() throws Exception {
    trellis.close();
    zk.close();
  }

  private static CuratorFramework client(ZkCredentials credentials) {
    CuratorFramework c = ZkCredentials.apply(credentials, CuratorFrameworkFactory.builder()
        .connectString(zk.getConnectString()).retryPolicy(new RetryOneTime(100)), "/trellis/leader", "/trellis/leader-info")
        .build();
    c.start();
    return c;
  }

  @Test
  void aClientWithoutTheDigestCannotReadOrChangeTrellisState() throws Exception {
    for (ZkCredentials other : new ZkCredentials[] {null, new ZkCredentials("trellis", "wrong")}) {
      try (CuratorFramework stranger = client(other)) {
        assertThrows(KeeperException.NoAuthException.class, () -> stranger.getData().forPath("/trellis/state/agents/a1"));
        assertThrows(KeeperException.NoAuthException.class,
            () -> stranger.setData().forPath("/trellis/state/agents/a1", "{}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(KeeperException.NoAuthException.class, () -> stranger.delete().forPath("/trellis/state/agents/a1"));
        assertThrows(KeeperException.NoAuthException.class, () -> stranger.getChildren().forPath("/trellis/state"));
        assertThrows(KeeperException.NoAuthException.class, () -> stranger.create().forPath("/trellis/state/agents/fake"));
        assertThrows(KeeperException.NoAuthException.class, () -> stranger.setData().forPath("/trellis/leader-info", STATE));
        // Finding the leader stays open: the election znodes are readable by anyone.
        assertArrayEquals(LEADER, stranger.getData().forPath("/trellis/leader-info"));
        assertEquals(1, stranger.getChildren().forPath("/trellis/leader").size());
      }
    }
    assertArrayEquals(STATE, trellis.getData().forPath("/trellis/state/agents/a1"));
  }

  @Test
  void anotherClientWithTheCredentialsSharesTheState() throws Exception {
    try (CuratorFramework peer = client(new ZkCredentials("trellis", "s3cret"))) {
      assertArrayEquals(STATE, peer.getData().forPath("/trellis/state/agents/a1"));
      peer.create().forPath("/trellis/state/agents/a2", STATE);
      assertArrayEquals(STATE, trellis.getData().forPath("/trellis/state/agents/a2"));
    }
  }

  @Test
  void credentialsAreParsedFromOptionsFilesAndTheEnvironmentWithoutRepeatingThePassword() {
    assertEquals(new ZkCredentials("u", "p:q"), ZkCredentials.of("u:p:q", null, Map.of()));
    assertEquals(new ZkCredentials("e", "x"), ZkCredentials.of(null, null, Map.of("TRELLIS_ZK_CREDENTIALS", "e:x")));
    assertEquals(null, ZkCredentials.of(null, null, Map.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZkCredentials.parse("justapassword"));
    assertTrue(!e.getMessage().contains("justapassword"), e.getMessage());
    assertTrue(!new ZkCredentials("u", "hidden").toString().contains("hidden"));
  }
}
