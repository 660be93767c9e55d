package io.trellis.agent.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.InvalidResourceException;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceDetectorTest {
  private static final long MIB = 1024L * 1024;
  private static final long GIB = 1024 * MIB;

  @TempDir Path workDir;

  /** A machine with fixed answers; a null answer fails the test if it is asked. */
  private record FakeHost(Integer processors, String meminfo, Long diskBytes, String nvidia)
      implements HostProbe {
    @Override
    public int availableProcessors() {
      return ask(processors, "processors");
    }

    @Override
    public String meminfo() {
      return ask(meminfo, "meminfo");
    }

    @Override
    public long usableDiskBytes(Path dir) {
      return ask(diskBytes, "disk space");
    }

    @Override
    public Optional<String> nvidiaGpuIndexes() {
      return Optional.of(ask(nvidia, "nvidia-smi")).filter(s -> !s.equals("absent"));
    }

    private static <T> T ask(T answer, String what) {
      if (answer == null) {
        throw new AssertionError(what + " was probed but should not have been");
      }
      return answer;
    }
  }

  private static String meminfo(long kb) {
    return "MemTotal:       " + kb + " kB\nMemFree:         1000 kB\nMemAvailable:    2000 kB\n";
  }

  /** 4 processors, 8 GiB of memory, 100 GiB free disk, two GPUs. */
  private static final FakeHost WORKSTATION =
      new FakeHost(4, meminfo(8 * 1024 * 1024), 100 * GIB, "0\n1\n");

  private ResourceDetector detector(HostProbe host) {
    return new ResourceDetector(host, workDir);
  }

  @Test
  void detectsThisMachine() {
    Resources r = new ResourceDetector(workDir.resolve("not-yet-created")).detect();

    assertTrue(r.scalar(Resources.CPUS) > 0, r.toString());
    assertTrue(r.scalar(Resources.MEM) > 0, r.toString());
    assertTrue(r.scalar(Resources.DISK) > 0, r.toString());
    assertEquals(Ranges.of(31000, 32000), r.ranges(Resources.PORTS));
    assertEquals(Runtime.getRuntime().availableProcessors(), r.scalar(Resources.CPUS));
    assertTrue(r.reserved().isEmpty(), "detected resources are unreserved: " + r);
  }

  @Test
  void fakeMachineGivesExactValuesWithMesosReserves() {
    Resources r = detector(WORKSTATION).detect();

    assertEquals(Resources.parse("cpus:4;mem:7168;disk:97280;ports:[31000-32000];gpus:2"), r);
  }

  @Test
  void smallMachineKeepsHalfItsMemoryAndDisk() {
    Resources r = detector(new FakeHost(1, meminfo(1024 * 1024), 8 * GIB, "absent")).detect();

    assertEquals(512, r.scalar(Resources.MEM));
    assertEquals(4096, r.scalar(Resources.DISK));
  }

  @Test
  void reservesStartExactlyAtTwoGibibytesOfMemoryAndTenOfDisk() {
    assertEquals(1024, ResourceDetector.memMegabytes(2 * GIB));
    assertEquals(1023, ResourceDetector.memMegabytes(2 * GIB - MIB));
    assertEquals(5120, ResourceDetector.diskMegabytes(10 * GIB));
    assertEquals(5119, ResourceDetector.diskMegabytes(10 * GIB - 2 * MIB));
    assertEquals(0, ResourceDetector.memMegabytes(0));
  }

  @Test
  void machineWithoutNvidiaSmiHasNoGpus() {
    Resources r = detector(new FakeHost(2, meminfo(4 * 1024 * 1024), 20 * GIB, "absent")).detect();

    assertFalse(r.names().contains(Resources.GPUS), r.toString());
  }

  @Test
  void onlyLinesHoldingAnIndexCountAsGpus() {
    assertEquals(3, ResourceDetector.gpuCount("0\n1\r\n 2 \n\nNo devices were found\n"));
    assertEquals(0, ResourceDetector.gpuCount(""));
  }

  @Test
  void overridesReplaceOnlyTheResourcesTheyName() {
    Resources r = detector(new FakeHost(null, null, 100 * GIB, "0\n1\n"))
        .detect("cpus:2;mem:1024;ports:[40000-40100]");

    assertEquals(Resources.parse("cpus:2;mem:1024;disk:97280;ports:[40000-40100];gpus:2"), r);
  }

  @Test
  void overrideWithReservationsReplacesEveryDetectedAmountOfThatName() {
    Resources r = detector(WORKSTATION).detect("cpus(spark):1;cpus:0.5");

    assertEquals(1.5, r.scalar(Resources.CPUS));
    assertEquals(1, r.reservedTo("spark").scalar(Resources.CPUS));
    assertEquals(Resources.parse("cpus(spark):1"), r.reserved());
    assertEquals(7168, r.scalar(Resources.MEM), "memory stays detected");
  }

  @Test
  void overrideOfZeroRemovesTheResourceWithoutProbingIt() {
    Resources r = detector(new FakeHost(4, meminfo(8 * 1024 * 1024), 100 * GIB, null)).detect("gpus:0");

    assertFalse(r.names().contains(Resources.GPUS), r.toString());
  }

  @Test
  void overriddenResourcesAreNotProbed() {
    Resources r = detector(new FakeHost(null, null, null, null)).detect("cpus:1;mem:2;disk:3;gpus:4;ports:[]");

    assertEquals(Resources.parse("cpus:1;mem:2;disk:3;gpus:4"), r);
  }

  @Test
  void overrideMayAddResourcesTheMachineDoesNotDetect() {
    Resources r = detector(WORKSTATION).detect("fpgas:2");

    assertEquals(2, r.scalar("fpgas"));
    assertEquals(4, r.scalar(Resources.CPUS));
  }

  @Test
  void blankOrMissingOverridesLeaveEverythingDetected() {
    Resources detected = detector(WORKSTATION).detect();

    assertEquals(detected, detector(WORKSTATION).detect(null));
    assertEquals(detected, detector(WORKSTATION).detect(" ; "));
  }

  @Test
  void badOverrideFailsNamingTheBadToken() {
    InvalidResourceException amount = assertThrows(InvalidResourceException.class,
        () -> detector(WORKSTATION).detect("cpus:2;mem:lots"));
    assertTrue(amount.getMessage().contains("'lots'"), amount.getMessage());

    InvalidResourceException item = assertThrows(InvalidResourceException.class,
        () -> detector(WORKSTATION).detect("cpus2;mem:1"));
    assertTrue(item.getMessage().contains("'cpus2'"), item.getMessage());

    InvalidResourceException ports = assertThrows(InvalidResourceException.class,
        () -> detector(WORKSTATION).detect("ports:[40100-40000]"));
    assertTrue(ports.getMessage().contains("40100-40000"), ports.getMessage());
  }

  @Test
  void unreadableDiskSpaceFailsNamingTheWorkDir() {
    HostProbe host = new HostProbe() {
      @Override
      public int availableProcessors() {
        return 4;
      }

      @Override
      public String meminfo() {
        return ResourceDetectorTest.meminfo(8 * 1024 * 1024);
      }

      @Override
      public long usableDiskBytes(Path dir) throws IOException {
        throw new IOException("no such file system");
      }

      @Override
      public Optional<String> nvidiaGpuIndexes() {
        return Optional.empty();
      }
    };

    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> detector(host).detect());
    assertTrue(e.getMessage().contains(workDir.toString()), e.getMessage());
  }

  @Test
  void meminfoWithoutMemTotalFailsQuotingWhatItRead() {
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> ResourceDetector.memTotalBytes("MemFree: 10 kB\n"));
    assertTrue(missing.getMessage().contains("MemFree: 10 kB"), missing.getMessage());

    IllegalStateException unreadable = assertThrows(IllegalStateException.class,
        () -> ResourceDetector.memTotalBytes("MemTotal: lots kB\n"));
    assertTrue(unreadable.getMessage().contains("MemTotal: lots kB"), unreadable.getMessage());
  }

  @Test
  void attributesAreParsedFromTheirTextForm() {
    Attributes a = ResourceDetector.attributes("rack:r1;zone:west");

    assertEquals(Optional.of("r1"), a.get("rack"));
    assertEquals(Optional.of("west"), a.get("zone"));
    assertEquals(Attributes.NONE, ResourceDetector.attributes(null));
    assertEquals(Attributes.NONE, ResourceDetector.attributes("  "));
    InvalidResourceException e = assertThrows(InvalidResourceException.class,
        () -> ResourceDetector.attributes("rack:r1;zone"));
    assertTrue(e.getMessage().contains("'zone'"), e.getMessage());
  }
}
