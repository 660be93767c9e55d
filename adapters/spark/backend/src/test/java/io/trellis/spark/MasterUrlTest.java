package io.trellis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MasterUrlTest {
  @Test
  void oneMasterOrZooKeeper() {
    assertEquals("127.0.0.1:5050", MasterUrl.parse("trellis://127.0.0.1:5050").detectorSpec());
    assertEquals("zk://h1:2181,h2:2181/trellis", MasterUrl.parse("trellis://zk://h1:2181,h2:2181/trellis").detectorSpec());
    assertTrue(new TrellisClusterManager().canCreate("trellis://m:5050"));
    assertFalse(new TrellisClusterManager().canCreate("spark://m:7077"));
  }

  @Test
  void theFormStockSparkSubmitAcceptsNamesTheSameMasters() {
    assertEquals("127.0.0.1:5050", MasterUrl.parse("spark+trellis://127.0.0.1:5050").detectorSpec());
    assertEquals("zk://h1:2181/trellis", MasterUrl.parse("spark+trellis://zk://h1:2181/trellis").detectorSpec());
    assertTrue(new TrellisClusterManager().canCreate("spark+trellis://m:5050"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterUrl.parse("spark+trellis://host"))
        .getMessage().contains("expected spark+trellis://host:port"));
  }

  @Test
  void executorsOfADriverFromASparkDistributionUseItsConfAndJars(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home)
      throws Exception {
    java.nio.file.Files.createDirectory(home.resolve("jars"));
    assertEquals("/opt/lib/*", BackendSettings.defaultExecutorClassPath("/opt/lib", home.toString()));
    assertEquals(home + "/conf:" + home + "/jars/*", BackendSettings.defaultExecutorClassPath(null, home.toString()));
    assertEquals(System.getProperty("java.class.path"),
        BackendSettings.defaultExecutorClassPath("", home.resolve("no-such").toString()));
  }

  @Test
  void badUrlsAreRefusedNamingTheValue() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterUrl.parse("trellis://host"))
        .getMessage().contains("'trellis://host'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterUrl.parse("trellis://host:99999"))
        .getMessage().contains("port '99999'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterUrl.parse("trellis://zk://host"))
        .getMessage().contains("needs hosts and a path"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MasterUrl.parse("yarn"))
        .getMessage().contains("not a Trellis master URL: 'yarn'"));
  }
}
