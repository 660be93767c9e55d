package io.trellis.client.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ZkAddressTest {
  @Test
  void parsesServersAndRoot() {
    ZkAddress a = ZkAddress.parse("zk://10.0.0.1:2181,10.0.0.2:2182/trellis");
    assertEquals("10.0.0.1:2181,10.0.0.2:2182", a.connectString());
    assertEquals("/trellis", a.root());
    assertEquals("zk://10.0.0.1:2181,10.0.0.2:2182/trellis", a.toString());
  }

  @Test
  void serversWithoutPortUse2181AndNoPathUsesTheDefaultRoot() {
    ZkAddress a = ZkAddress.parse("zk://h1,h2,h3");
    assertEquals("h1:2181,h2:2181,h3:2181", a.connectString());
    assertEquals(ZkLayout.DEFAULT_ROOT, a.root());
    assertEquals("/trellis", ZkAddress.parse("zk://h1/").root());
  }

  @Test
  void trailingSlashOfThePathIsDropped() {
    assertEquals("/a/b", ZkAddress.parse("zk://h1:1/a/b/").root());
  }

  @Test
  void toStringParsesBackToTheSameAddress() {
    ZkAddress a = ZkAddress.parse("zk://127.0.0.1:2181,127.0.0.1:2182/x/y");
    assertEquals(a, ZkAddress.parse(a.toString()));
  }

  @Test
  void layoutPlacesEveryZnodeUnderTheRoot() {
    ZkLayout layout = ZkAddress.parse("zk://h:1/prod/trellis").layout();
    assertEquals("/prod/trellis/leader", layout.leaderLatch());
    assertEquals("/prod/trellis/leader-info", layout.leaderInfo());
    assertEquals("/prod/trellis/epoch", layout.epoch());
    assertEquals("/prod/trellis/state", layout.state());
    assertEquals("/leader-info", new ZkLayout("/").leaderInfo());
  }

  @Test
  void badAddressNamesTheSpecAndTheForm() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ZkAddress.parse("zk://h1:2181/a//b"));
    assertTrue(e.getMessage().startsWith("bad ZooKeeper address 'zk://h1:2181/a//b'"), e.getMessage());
    assertTrue(e.getMessage().endsWith("expected zk://host:port[,host:port...]/path"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ZkAddress.parse("h1:2181/trellis"));
    assertThrows(IllegalArgumentException.class, () -> ZkAddress.parse("zk://h1:2181/a b"));
    assertThrows(IllegalArgumentException.class, () -> ZkAddress.parse("zk://h1:2181/a/.."));
  }
}
