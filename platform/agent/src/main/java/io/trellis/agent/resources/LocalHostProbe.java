package io.trellis.agent.resources;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the machine this JVM runs on: the JVM's processor count (which honours CPU affinity and
 * container quotas), {@code /proc/meminfo} (or the JVM's view of physical memory where there is
 * none), the work directory's file store, and {@code nvidia-smi} run with a timeout.
 */
final class LocalHostProbe implements HostProbe {
  private static final Logger log = LoggerFactory.getLogger(LocalHostProbe.class);

  static final List<String> NVIDIA_SMI =
      List.of("nvidia-smi", "--query-gpu=index", "--format=csv,noheader");
  static final Duration NVIDIA_SMI_TIMEOUT = Duration.ofSeconds(10);
  private static final Path MEMINFO = Path.of("/proc/meminfo");

  private final List<String> gpuCommand;
  private final Duration gpuTimeout;

  LocalHostProbe() {
    this(NVIDIA_SMI, NVIDIA_SMI_TIMEOUT);
  }

  /** With another GPU listing command, for tests of the process handling. */
  LocalHostProbe(List<String> gpuCommand, Duration gpuTimeout) {
    this.gpuCommand = List.copyOf(gpuCommand);
    this.gpuTimeout = gpuTimeout;
  }

  @Override
  public int availableProcessors() {
    return Runtime.getRuntime().availableProcessors();
  }

  @Override
  public String meminfo() throws IOException {
    if (Files.isReadable(MEMINFO)) {
      return Files.readString(MEMINFO, StandardCharsets.US_ASCII);
    }
    // Not Linux: the JVM knows the physical memory size; answer in meminfo's own form.
    long bytes = ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    return "MemTotal:       " + bytes / 1024 + " kB\n";
  }

  @Override
  public long usableDiskBytes(Path dir) throws IOException {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent(); // the work dir may not be created yet
    }
    if (existing == null) {
      throw new IOException("no existing directory above " + dir);
    }
    return Files.getFileStore(existing).getUsableSpace();
  }

  @Override
  public Optional<String> nvidiaGpuIndexes() {
    Process process;
    try {
      process = new ProcessBuilder(gpuCommand).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      log.debug("no GPUs detected: {} cannot run: {}", gpuCommand.get(0), e.getMessage());
      return Optional.empty();
    }
    try {
      process.getOutputStream().close();
      // Read on another thread so that a full pipe cannot hold the process past the timeout.
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
      if (!process.waitFor(gpuTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("no GPUs detected: {} did not finish within {}", gpuCommand.get(0), gpuTimeout);
        return Optional.empty();
      }
      if (process.exitValue() != 0) {
        log.debug("no GPUs detected: {} exited with status {}", gpuCommand.get(0), process.exitValue());
        return Optional.empty();
      }
      return Optional.of(output.get(gpuTimeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (IOException | ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("no GPUs detected: cannot read the output of {}: {}", gpuCommand.get(0), e.toString());
      return Optional.empty();
    } finally {
      process.destroyForcibly();
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
