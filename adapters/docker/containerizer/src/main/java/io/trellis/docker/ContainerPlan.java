package io.trellis.docker;

import io.trellis.agent.containerizer.ContainerException;
import io.trellis.agent.containerizer.LaunchRequest;
import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import io.trellis.api.TaskSpec;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * What to create for one DOCKER task, decided from the launch request alone (no daemon call), so
 * that every rule is testable on its own.
 *
 * @param entrypoint {@code null} to keep the image's entrypoint
 * @param cmd {@code null} to keep the image's command
 * @param network {@code bridge}, {@code host} or {@code none}
 * @param bindAddress the host address published ports bind to
 * @param cpuShares relative cpu weight, {@code null} without a cpus resource
 * @param cpuQuota microseconds of cpu per {@link #CPU_PERIOD}, {@code null} without cpus
 * @param memory the memory limit in bytes, {@code null} without a mem resource
 */
record ContainerPlan(String name, String image, boolean forcePull, List<String> entrypoint,
    List<String> cmd, Map<String, String> env, Map<String, String> labels, String network,
    List<PortMapping> ports, String bindAddress, Integer cpuShares, Long cpuQuota, Long memory,
    boolean privileged, List<Mount> mounts, String user, String workdir, String hostname,
    boolean init) {
  static final String LABEL_TASK_ID = "trellis.task-id";
  static final String LABEL_FRAMEWORK_ID = "trellis.framework-id";
  static final String LABEL_AGENT_ID = "trellis.agent-id";
  static final String LABEL_SANDBOX = "trellis.sandbox";
  static final String LABEL_WORK_DIR = "trellis.work-dir";
  /** Where the task's sandbox appears inside its container. */
  static final String SANDBOX_MOUNT = "/mnt/trellis/sandbox";
  static final long CPU_PERIOD = 100_000;
  private static final List<String> PARAMETERS = List.of("user", "workdir", "hostname", "init");

  ContainerPlan {
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
    mounts = List.copyOf(mounts);
  }

  /**
   * Plans the container of {@code request}.
   *
   * @param agentId the agent's id, for the task's labels when the task does not name its agent
   * @param workDir the agent's work directory, labelled so that only this agent recovers it
   * @throws ContainerException naming every invalid or refused field by its path
   */
  static ContainerPlan of(LaunchRequest request, DockerSettings settings, String agentId,
      Path workDir) throws ContainerException {
    TaskSpec task = request.task();
    ContainerSpec spec = task.container();
    List<String> errors = new ArrayList<>();
    String image = spec.image() == null ? "" : spec.image().trim();
    if (image.isEmpty()) {
      errors.add("container.image is missing; name the image to run, e.g. busybox:latest");
    }
    String network = network(spec.network(), errors);
    boolean privileged = Boolean.TRUE.equals(spec.privileged());
    if (privileged && !settings.allowPrivileged()) {
      errors.add("container.privileged is refused on this agent; an operator can allow it with"
          + " the agent setting " + DockerSettings.ALLOW_PRIVILEGED + "=true");
    }
    List<Mount> mounts = new ArrayList<>();
    mounts.add(new Mount(request.sandbox().toString(), SANDBOX_MOUNT, false));
    List<Map<String, Object>> volumes = spec.volumes() == null ? List.of() : spec.volumes();
    for (int i = 0; i < volumes.size(); i++) {
      Mount m = mount(volumes.get(i), i, request.sandbox(), settings, errors);
      if (m != null) {
        mounts.add(m);
      }
    }
    Map<String, String> parameters = parameters(spec.parameters(), errors);
    List<PortMapping> ports = List.of();
    List<Map<String, Object>> mappings = spec.portMappings() == null ? List.of()
        : spec.portMappings();
    if ("bridge".equals(network)) {
      ports = PortMapping.assign(mappings, taskPorts(request.resources()), errors);
    } else if ("none".equals(network) && !mappings.isEmpty()) {
      errors.add("container.portMappings need BRIDGE networking; the network is NONE");
    }
    boolean init = settings.init();
    if (parameters.containsKey("init")) {
      init = Boolean.parseBoolean(parameters.get("init"));
    }
    if (!errors.isEmpty()) {
      throw new ContainerException("cannot run task " + task.taskId() + " in Docker: "
          + String.join("; ", errors));
    }

    CommandSpec command = task.command();
    List<String> entrypoint = null;
    List<String> cmd = null;
    Map<String, String> env = new LinkedHashMap<>(request.environment());
    env.put("TRELLIS_SANDBOX", SANDBOX_MOUNT);
    env.put("MESOS_SANDBOX", SANDBOX_MOUNT);
    String user = parameters.get("user");
    if (command != null) {
      boolean hasValue = command.value() != null && !command.value().isBlank();
      if (command.isShell() && hasValue) {
        entrypoint = List.of("/bin/sh", "-c");
        cmd = List.of(command.value());
      } else if (!command.isShell() && (hasValue || !command.arguments().isEmpty())) {
        cmd = new ArrayList<>();
        if (hasValue) {
          cmd.add(command.value());
        }
        cmd.addAll(command.arguments());
      }
      env.putAll(command.environment());
      if (command.user() != null && !command.user().isBlank()) {
        user = command.user();
      }
    }

    Map<String, String> labels = new LinkedHashMap<>(task.labels());
    labels.put(LABEL_TASK_ID, task.taskId());
    labels.put(LABEL_FRAMEWORK_ID, request.frameworkId());
    labels.put(LABEL_AGENT_ID, task.agentId() == null || task.agentId().isBlank() ? agentId
        : task.agentId());
    labels.put(LABEL_SANDBOX, request.sandbox().toString());
    labels.put(LABEL_WORK_DIR, workDir.toString());

    Resources resources = request.resources() == null ? Resources.empty() : request.resources();
    double cpus = resources.scalar(Resources.CPUS);
    double mem = resources.scalar(Resources.MEM);
    Integer shares = cpus > 0 ? Math.max(2, (int) Math.round(cpus * 1024)) : null;
    Long quota = cpus > 0 ? Math.max(1000L, Math.round(cpus * CPU_PERIOD)) : null;
    Long memory = mem > 0 ? Math.max(6L << 20, Math.round(mem * (1 << 20))) : null;

    return new ContainerPlan(name(request.frameworkId(), task.taskId()), image,
        Boolean.TRUE.equals(spec.forcePullImage()), entrypoint, cmd, env, labels, network, ports,
        bindAddress(request.environment().get("HOST")), shares, quota, memory, privileged, mounts,
        user, parameters.get("workdir"), parameters.get("hostname"), init);
  }

  /** A container name from the task id, unique per framework and task. */
  static String name(String frameworkId, String taskId) {
    String clean = taskId.replaceAll("[^a-zA-Z0-9_.-]", "_");
    if (clean.length() > 100) {
      clean = clean.substring(0, 100);
    }
    CRC32 crc = new CRC32();
    crc.update((frameworkId + "/" + taskId).getBytes(StandardCharsets.UTF_8));
    return "trellis-" + clean + "-" + String.format("%08x", crc.getValue());
  }

  private static String network(String value, List<String> errors) {
    // BRIDGE unless asked: the host's network namespace is a grant (host_namespace network).
    String n = value == null || value.isBlank() ? "BRIDGE" : value.trim().toUpperCase(Locale.ROOT);
    return switch (n) {
      case "HOST" -> "host";
      case "BRIDGE" -> "bridge";
      case "NONE" -> "none";
      default -> {
        errors.add("container.network must be HOST, BRIDGE or NONE, not '" + value + "'");
        yield "host";
      }
    };
  }

  private static Mount mount(Map<String, Object> volume, int i, Path sandbox,
      DockerSettings settings, List<String> errors) {
    String at = "container.volumes[" + i + "]";
    Object containerPath = volume.get("containerPath");
    if (containerPath == null || !containerPath.toString().startsWith("/")) {
      errors.add(at + ".containerPath must be an absolute path in the container, not "
          + (containerPath == null ? "missing" : "'" + containerPath + "'"));
      return null;
    }
    Object modeValue = volume.get("mode");
    String mode = modeValue == null ? "RW" : modeValue.toString().toUpperCase(Locale.ROOT);
    if (!mode.equals("RW") && !mode.equals("RO")) {
      errors.add(at + ".mode must be RO or RW, not '" + modeValue + "'");
      return null;
    }
    Object hostValue = volume.get("hostPath");
    String hostPath = hostValue == null || hostValue.toString().isBlank() ? null
        : hostValue.toString();
    if (hostPath != null && !hostPath.startsWith("/")) {
      Path inSandbox = sandbox.resolve(hostPath).normalize();
      if (!inSandbox.startsWith(sandbox)) {
        errors.add(at + ".hostPath '" + hostPath + "' leaves the sandbox; a relative path names"
            + " a directory in the task's sandbox");
        return null;
      }
      hostPath = inSandbox.toString();
    } else if (hostPath != null && !settings.allowHostVolumes()) {
      String what = Mount.isDockerSocket(hostPath) ? " mounts the Docker socket, which" : "";
      errors.add(at + ".hostPath '" + hostPath + "'" + what + " is refused on this agent: host"
          + " volumes need the agent setting " + DockerSettings.ALLOW_HOST_VOLUMES + "=true"
          + " (a relative path mounts a directory of the task's sandbox instead)");
      return null;
    }
    return new Mount(hostPath, containerPath.toString(), mode.equals("RO"));
  }

  private static Map<String, String> parameters(Map<String, Object> parameters,
      List<String> errors) {
    Map<String, String> out = new LinkedHashMap<>();
    if (parameters == null) {
      return out;
    }
    parameters.forEach((key, value) -> {
      if (!PARAMETERS.contains(key)) {
        errors.add("container.parameters." + key + " is not supported; supported are "
            + PARAMETERS);
      } else if (value == null) {
        errors.add("container.parameters." + key + " has no value");
      } else if (key.equals("init") && !value.toString().matches("(?i)true|false")) {
        errors.add("container.parameters.init must be true or false, not '" + value + "'");
      } else {
        out.put(key, value.toString());
      }
    });
    return out;
  }

  private static List<Long> taskPorts(Resources resources) {
    List<Long> ports = new ArrayList<>();
    if (resources == null) {
      return ports;
    }
    Ranges ranges = resources.ranges(Resources.PORTS);
    for (int i = 0; i < ranges.intervalCount(); i++) {
      for (long p = ranges.begin(i); p <= ranges.end(i); p++) {
        ports.add(p);
      }
    }
    return ports;
  }

  /** The agent's address when it is an IP address, else every interface. */
  static String bindAddress(String host) {
    if (host != null && (host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":"))) {
      return host;
    }
    return "0.0.0.0";
  }
}
