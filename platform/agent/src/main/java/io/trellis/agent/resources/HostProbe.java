package io.trellis.agent.resources;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Raw facts about the machine the agent runs on. {@link LocalHostProbe} reads the real machine;
 * tests give fixed answers. Interpreting the facts is {@link ResourceDetector}'s job.
 */
interface HostProbe {

  /** Processors this process may use. */
  int availableProcessors();

  /** The text of {@code /proc/meminfo}, or an equivalent holding at least a {@code MemTotal} line. */
  String meminfo() throws IOException;

  /** Bytes free for this process on the file system that holds {@code dir}. */
  long usableDiskBytes(Path dir) throws IOException;

  /**
   * The output of {@code nvidia-smi --query-gpu=index --format=csv,noheader}, one GPU index per
   * line; empty when the command is missing, fails or does not finish in time.
   */
  Optional<String> nvidiaGpuIndexes();
}
