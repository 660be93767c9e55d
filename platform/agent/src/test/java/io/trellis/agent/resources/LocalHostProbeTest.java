package io.trellis.agent.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real probe on this machine, with real processes standing in for nvidia-smi. */
class LocalHostProbeTest {
  @TempDir Path dir;

  private static LocalHostProbe withGpuCommand(String... command) {
    return new LocalHostProbe(List.of(command), Duration.ofSeconds(10));
  }

  @Test
  void meminfoOfThisMachineHasAReadableMemTotal() throws Exception {
    long bytes = ResourceDetector.memTotalBytes(new LocalHostProbe().meminfo());

    assertTrue(bytes > 0, "MemTotal " + bytes);
  }

  @Test
  void freeDiskSpaceIsReadForAWorkDirNotCreatedYet() throws Exception {
    assertTrue(new LocalHostProbe().usableDiskBytes(dir.resolve("a/b/c")) > 0);
  }

  @Test
  void gpuListingIsTheCommandsOutput() {
    assertEquals(Optional.of("0\n1\n"), withGpuCommand("sh", "-c", "printf '0\\n1\\n'").nvidiaGpuIndexes());
  }

  @Test
  void missingGpuCommandMeansNoGpusWithoutAnException() {
    assertEquals(Optional.empty(), withGpuCommand("trellis-no-such-nvidia-smi").nvidiaGpuIndexes());
  }

  @Test
  void failingGpuCommandMeansNoGpus() {
    assertEquals(Optional.empty(),
        withGpuCommand("sh", "-c", "echo 0; echo 'NVIDIA-SMI has failed' >&2; exit 9").nvidiaGpuIndexes());
  }

  @Test
  void gpuCommandThatHangsIsAbandonedAtTheTimeout() {
    LocalHostProbe probe = new LocalHostProbe(List.of("sleep", "60"), Duration.ofMillis(200));

    assertEquals(Optional.empty(), probe.nvidiaGpuIndexes());
  }

  @Test
  void nvidiaSmiOnThisMachineNeverThrows() {
    Optional<String> listing = new LocalHostProbe().nvidiaGpuIndexes();

    assertTrue(listing.map(ResourceDetector::gpuCount).orElse(0) >= 0);
  }
}
