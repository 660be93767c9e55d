package io.trellis.spark.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubmitArgsTest {
  @Test
  void optionsBecomeSparkSettingsAndTheRestIsTheApplication() {
    SubmitArgs a = SubmitArgs.parse(List.of("--master", "trellis://m:5050", "--deploy-mode", "cluster",
        "--class", "x.Main", "--name", "etl", "--total-executor-cores", "4", "--conf", "spark.trellis.role=batch",
        "--wait", "app.jar", "--not-an-option", "2"));
    assertTrue(a.cluster());
    assertTrue(a.waitForDriver());
    assertEquals("app.jar", a.jar());
    assertEquals(List.of("--not-an-option", "2"), a.appArgs());
    assertEquals("4", a.conf().get("spark.cores.max"));
    assertEquals("batch", a.conf().get("spark.trellis.role"));
    assertEquals("etl", a.appName());
    assertEquals("trellis://m:5050", a.conf().get("spark.master"));
  }

  @Test
  void mistakesAreNamed() {
    assertEquals("--master is required, as in --master trellis://127.0.0.1:5050",
        assertThrows(IllegalArgumentException.class, () -> SubmitArgs.parse(List.of("--class", "M", "a.jar"))).getMessage());
    assertEquals("--deploy-mode must be client or cluster, not 'remote'",
        assertThrows(IllegalArgumentException.class, () -> SubmitArgs.parse(List.of("--deploy-mode", "remote"))).getMessage());
    assertEquals("--conf needs key=value, not 'spark.x'",
        assertThrows(IllegalArgumentException.class, () -> SubmitArgs.parse(List.of("--conf", "spark.x"))).getMessage());
    assertEquals("the application jar is missing after the options",
        assertThrows(IllegalArgumentException.class, () -> SubmitArgs.parse(List.of("--master", "trellis://m:1", "--class", "M"))).getMessage());
    assertEquals("unknown option --frobnicate",
        assertThrows(IllegalArgumentException.class, () -> SubmitArgs.parse(List.of("--frobnicate", "1"))).getMessage());
  }

  @Test
  void memoryTextInMegabytes() {
    assertEquals(512, MemoryText.mb("512m"));
    assertEquals(2048, MemoryText.mb("2g"));
    assertEquals(2048, MemoryText.mb("2GB"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MemoryText.mb("lots")).getMessage().contains("'lots'"));
  }
}
