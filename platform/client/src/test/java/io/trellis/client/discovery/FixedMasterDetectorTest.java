package io.trellis.client.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FixedMasterDetectorTest {
  @Test
  void theFixedMasterAlwaysLeads() throws Exception {
    try (FixedMasterDetector detector = new FixedMasterDetector("127.0.0.1:5050")) {
      MasterInfo expected = new MasterInfo("127.0.0.1:5050", "127.0.0.1:5050", 0);
      assertEquals(expected, detector.current().orElseThrow());
      assertEquals(expected, detector.await(Duration.ZERO));
    }
  }

  @Test
  void awaitingAChangeWaitsOutTheTimeoutAndSaysTheMasterIsFixed() {
    try (FixedMasterDetector detector = new FixedMasterDetector("127.0.0.1:5050")) {
      MasterInfo master = detector.current().orElseThrow();
      NoLeadingMasterException e = assertThrows(NoLeadingMasterException.class,
          () -> detector.awaitChange(master, Duration.ofMillis(20)));
      assertEquals("no master other than 127.0.0.1:5050@127.0.0.1:5050 (epoch 0) after 20ms: the master is "
          + "fixed at 127.0.0.1:5050; use zk://host:port/path to follow a leader election", e.getMessage());
    }
  }

  @Test
  void awaitingAChangeFromAnotherMasterReturnsTheFixedOne() throws Exception {
    try (FixedMasterDetector detector = new FixedMasterDetector("127.0.0.1:5050")) {
      MasterInfo other = new MasterInfo("m9", "127.0.0.1:9", 7);
      assertEquals("127.0.0.1:5050", detector.awaitChange(other, Duration.ZERO).endpoint());
    }
  }

  @Test
  void closedDetectorRefusesToWait() {
    FixedMasterDetector detector = new FixedMasterDetector("127.0.0.1:5050");
    detector.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> detector.await(Duration.ofSeconds(1)));
    assertEquals("master detector for 127.0.0.1:5050 is closed", e.getMessage());
  }

  @Test
  void timeoutsAreShownReadably() {
    assertEquals("250ms", LeaderState.show(Duration.ofMillis(250)));
    assertEquals("10s", LeaderState.show(Duration.ofSeconds(10)));
    assertEquals("1500ms", LeaderState.show(Duration.ofMillis(1500)));
    assertEquals("2m", LeaderState.show(Duration.ofMinutes(2)));
    assertEquals("1m30s", LeaderState.show(Duration.ofSeconds(90)));
  }
}
