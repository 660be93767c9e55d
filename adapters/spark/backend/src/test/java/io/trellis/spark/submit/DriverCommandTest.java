package io.trellis.spark.submit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.spark.JvmFlags;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriverCommandTest {
  private static List<String> argv(String... args) {
    return DriverCommand.argv("java", "lib/*", SubmitArgs.parse(List.of(args)), "app.jar", Map.of());
  }

  @Test
  void aDriverOnTrellisGetsTheLightJvmBeforeTheUsersOwnFlags() {
    List<String> cmd = argv("--master", "trellis://m:5050", "--class", "M",
        "--conf", "spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=4", "app.jar");
    int light = Collections.indexOfSubList(cmd, JvmFlags.lightDriver());
    assertTrue(light > 0, cmd.toString());
    assertTrue(cmd.indexOf("-XX:TieredStopAtLevel=4") > light, "the user's flag comes later and wins: " + cmd);
  }

  @Test
  void aLocalDriverRunsItsTasksAndKeepsTheFullJit() {
    List<String> cmd = argv("--master", "local[2]", "--class", "M", "app.jar");
    assertFalse(cmd.contains("-XX:TieredStopAtLevel=1"), cmd.toString());
  }

  @Test
  void theLightJvmCanBeTurnedOff() {
    List<String> cmd = argv("--master", "trellis://m:5050", "--class", "M",
        "--conf", DriverCommand.LIGHT_JVM + "=false", "app.jar");
    assertFalse(cmd.contains("-XX:TieredStopAtLevel=1"), cmd.toString());
  }
}
