package io.trellis.client.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MasterDetectorsTest {
  @Test
  void hostPortNamesAFixedMaster() {
    try (MasterDetector detector = MasterDetectors.from("127.0.0.1:5050")) {
      assertInstanceOf(FixedMasterDetector.class, detector);
      assertEquals("127.0.0.1:5050", detector.current().orElseThrow().endpoint());
    }
  }

  @Test
  void httpUrlNamesAFixedMaster() {
    try (MasterDetector detector = MasterDetectors.from("http://127.0.0.1:5050/")) {
      assertEquals("127.0.0.1:5050", detector.current().orElseThrow().endpoint());
      assertEquals(5050, detector.current().orElseThrow().port());
      assertEquals("127.0.0.1", detector.current().orElseThrow().host());
    }
  }

  @Test
  void zkUrlFollowsTheElectionUnderItsPath() {
    try (MasterDetector detector = MasterDetectors.from("zk://127.0.0.1:2181,127.0.0.2/prod/trellis")) {
      assertInstanceOf(ZkMasterDetector.class, detector);
      assertEquals("zk://127.0.0.1:2181,127.0.0.2:2181/prod/trellis", detector.source());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", ":5050", "127.0.0.1:http", "127.0.0.1:70000",
      "127.0.0.1:0", "http://127.0.0.1", "https://127.0.0.1", "ftp://127.0.0.1:5050",
      "zk://", "zk:///trellis", "zk://127.0.0.1:21x81/trellis", "zk://127.0.0.1:2181//trellis",
      "zk://127.0.0.1:2181,/trellis", "a b:5050"})
  void badSpecIsRejectedNamingItAndTheExpectedForms(String spec) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MasterDetectors.from(spec));
    assertTrue(e.getMessage().contains("'" + spec + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("zk://host:port[,host:port...]/path, host:port or http(s)://host:port"),
        e.getMessage());
  }

  @Test
  void anHttpsUrlNamesAFixedMaster() {
    try (MasterDetector detector = MasterDetectors.from("https://127.0.0.1:5050/")) {
      assertInstanceOf(FixedMasterDetector.class, detector);
      assertEquals("127.0.0.1:5050", detector.current().orElseThrow().endpoint());
    }
  }

  @Test
  void emptySpecIsRejectedWithTheExpectedForms() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MasterDetectors.from(" "));
    assertEquals("empty master spec; expected zk://host:port[,host:port...]/path, host:port or http(s)://host:port",
        e.getMessage());
  }
}
