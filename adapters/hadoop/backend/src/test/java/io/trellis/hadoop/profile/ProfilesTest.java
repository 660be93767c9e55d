package io.trellis.hadoop.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ProfilesTest {
  @Test
  void theDefaultsGiveYarnEachProfileMinusTheNodeManagersOwnMemory() {
    Profiles p = Profiles.parse(Profiles.DEFAULTS, 512);
    assertEquals(1024, p.require("small").yarnMemMb());
    assertEquals(2, p.require("medium").yarnVcores());
    assertEquals("cpus:4.0;mem:6144", p.require("large").scalars());
  }

  @Test
  void badProfilesAreRefusedNamingTheValue() {
    assertEquals("bad profile 'small=1': expected name=cpus:memMb, e.g. small=1:1536",
        assertThrows(IllegalArgumentException.class, () -> Profiles.parse("small=1", 512)).getMessage());
    assertEquals("bad profile 'x=a:1': cpus and memMb must be numbers, e.g. small=1:1536",
        assertThrows(IllegalArgumentException.class, () -> Profiles.parse("x=a:1", 512)).getMessage());
    assertEquals("profile tiny: mem 600 MB must leave at least 256 MB for YARN after the NodeManager's 512 MB, and be at most 4 TiB",
        assertThrows(IllegalArgumentException.class, () -> Profiles.parse("tiny=1:600", 512)).getMessage());
    assertEquals("profile x: cpus Infinity must be between 0.1 and 1024",
        assertThrows(IllegalArgumentException.class, () -> Profiles.parse("x=1e400:2048", 512)).getMessage());
    assertEquals("profile 'a' is defined twice in 'a=1:1536,a=2:3072'",
        assertThrows(IllegalArgumentException.class, () -> Profiles.parse("a=1:1536,a=2:3072", 512)).getMessage());
    assertEquals("unknown profile 'huge'; known: small, medium, large",
        assertThrows(IllegalArgumentException.class, () -> Profiles.parse(Profiles.DEFAULTS, 512).require("huge"))
            .getMessage());
  }
}
