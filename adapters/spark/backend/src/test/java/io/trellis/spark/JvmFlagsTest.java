package io.trellis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {
  @Test
  void theFlagsFileHoldsSparksOwnListAndNettysReflectionSwitch() {
    assertEquals(List.of(JavaModuleOptions.defaultModuleOptionArray()), JvmFlags.all(),
        "jvm-flags.txt must match the Spark version on the class path: regenerate it from JavaModuleOptions");
    assertTrue(JvmFlags.all().contains("-Dio.netty.tryReflectionSetAccessible=true"));
  }
}
