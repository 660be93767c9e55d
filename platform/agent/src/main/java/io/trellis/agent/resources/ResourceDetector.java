package io.trellis.agent.resources;

import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.InvalidResourceException;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resource;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The agent's total resources: detected from the machine, with operator overrides.
 *
 * <p>Detection follows the Mesos agent ({@code Containerizer::resources}):
 *
 * <ul>
 *   <li>{@code cpus}: the processors this JVM may use.
 *   <li>{@code mem}: {@code MemTotal} of {@code /proc/meminfo}, less 1 GiB for the system when
 *       the machine has at least 2 GiB, else half of it (Mesos' rule).
 *   <li>{@code disk}: the space free for the agent on the work directory's file system, less
 *       5 GiB when at least 10 GiB are free, else half of it (Mesos' rule, applied to free rather
 *       than total space so that other users of the disk are not counted as the agent's).
 *   <li>{@code ports}: {@code [31000-32000]}.
 *   <li>{@code gpus}: the number of GPUs {@code nvidia-smi} lists; none when it is missing or fails.
 * </ul>
 *
 * <p>Memory and disk are whole MiB ("MB" as Mesos counts them), rounded down. All detected
 * resources are unreserved.
 *
 * <p>Overrides use Mesos' {@code --resources} form, e.g. {@code cpus:2;mem:1024;ports:[40000-40100]}
 * or {@code cpus(spark):1;cpus:3}. Every resource name that appears in the overrides replaces the
 * detected resource of that name entirely, whatever roles either carries; other names stay
 * detected. An override of zero ({@code gpus:0}) removes the resource. Overridden resources are
 * not probed at all, so {@code disk:...} spares a slow file system and {@code gpus:0} spares
 * running {@code nvidia-smi}.
 */
public final class ResourceDetector {
  public static final Ranges DEFAULT_PORTS = Ranges.of(31000, 32000);

  private static final long MIB = 1024L * 1024;
  private static final long GIB = 1024 * MIB;

  private final HostProbe host;
  private final Path workDir;

  /** Detects on this machine; {@code workDir} is where sandboxes go (it need not exist yet). */
  public ResourceDetector(Path workDir) {
    this(new LocalHostProbe(), workDir);
  }

  ResourceDetector(HostProbe host, Path workDir) {
    this.host = Objects.requireNonNull(host, "host");
    this.workDir = Objects.requireNonNull(workDir, "workDir");
  }

  /** The detected resources, without overrides. */
  public Resources detect() {
    return detect("");
  }

  /**
   * The detected resources with {@code overrides} (Mesos {@code --resources} text; null or blank
   * for none) replacing the resources they name.
   *
   * @throws InvalidResourceException naming the bad item of {@code overrides}
   * @throws UncheckedIOException when memory or free disk space cannot be read
   */
  public Resources detect(String overrides) {
    String text = overrides == null ? "" : overrides;
    Resources given = Resources.parse(text);
    Set<String> named = names(text);
    List<Resource> detected = new ArrayList<>();
    if (!named.contains(Resources.CPUS)) {
      detected.add(Resource.scalar(Resources.CPUS, Role.ANY, host.availableProcessors()));
    }
    if (!named.contains(Resources.MEM)) {
      detected.add(Resource.scalar(Resources.MEM, Role.ANY, memMegabytes(memTotalBytes(meminfo()))));
    }
    if (!named.contains(Resources.DISK)) {
      detected.add(Resource.scalar(Resources.DISK, Role.ANY, diskMegabytes(usableDiskBytes())));
    }
    if (!named.contains(Resources.PORTS)) {
      detected.add(Resource.ranges(Resources.PORTS, Role.ANY, DEFAULT_PORTS));
    }
    if (!named.contains(Resources.GPUS)) {
      detected.add(Resource.scalar(Resources.GPUS, Role.ANY,
          host.nvidiaGpuIndexes().map(ResourceDetector::gpuCount).orElse(0)));
    }
    return Resources.of(detected).plus(given);
  }

  /** Agent attributes from {@code rack:r1;zone:west}; none for null or blank text. */
  public static Attributes attributes(String text) {
    return text == null || text.isBlank() ? Attributes.NONE : Attributes.parse(text);
  }

  /**
   * The resource names in overrides text that {@link Resources#parse} accepted; read from the text
   * because a zero amount leaves no entry in the parsed resources.
   */
  private static Set<String> names(String text) {
    Set<String> names = new LinkedHashSet<>();
    for (String item : text.split(";")) {
      int colon = item.indexOf(':');
      if (colon > 0) {
        String head = item.substring(0, colon);
        int paren = head.indexOf('(');
        names.add((paren >= 0 ? head.substring(0, paren) : head).trim());
      }
    }
    return names;
  }

  private String meminfo() {
    try {
      return host.meminfo();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the memory size from /proc/meminfo: " + e.getMessage()
          + "; give mem in the agent's resources instead", e);
    }
  }

  private long usableDiskBytes() {
    try {
      return host.usableDiskBytes(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the free disk space of work dir " + workDir + ": "
          + e.getMessage() + "; give disk in the agent's resources instead", e);
    }
  }

  /** {@code MemTotal} of meminfo text, in bytes. */
  static long memTotalBytes(String meminfo) {
    for (String line : meminfo.split("\n")) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
        try {
          long amount = Long.parseLong(parts[0]);
          if (parts.length == 2 && parts[1].equalsIgnoreCase("kB") && amount >= 0) {
            return amount * 1024;
          }
        } catch (NumberFormatException e) {
          // reported below with the line
        }
        throw new IllegalStateException("unreadable meminfo line '" + line.strip()
            + "': expected 'MemTotal: <number> kB'");
      }
    }
    throw new IllegalStateException("no MemTotal line in meminfo: '" + abbreviate(meminfo) + "'");
  }

  /** Mesos' rule: leave 1 GiB to the system from 2 GiB up, else half the memory. */
  static long memMegabytes(long totalBytes) {
    long usable = totalBytes >= 2 * GIB ? totalBytes - GIB : totalBytes / 2;
    return usable / MIB;
  }

  /** Mesos' rule: leave 5 GiB free from 10 GiB up, else half the space. */
  static long diskMegabytes(long usableBytes) {
    long usable = usableBytes >= 10 * GIB ? usableBytes - 5 * GIB : usableBytes / 2;
    return usable / MIB;
  }

  /** One GPU per line holding an index; anything else nvidia-smi prints is not a GPU. */
  static int gpuCount(String nvidiaSmiOutput) {
    int count = 0;
    for (String line : nvidiaSmiOutput.split("\n")) {
      if (line.strip().matches("\\d+")) {
        count++;
      }
    }
    return count;
  }

  private static String abbreviate(String text) {
    String oneLine = text.replace('\n', ' ').strip();
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 80) + "...";
  }
}
