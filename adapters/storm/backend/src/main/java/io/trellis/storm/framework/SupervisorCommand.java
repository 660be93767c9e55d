package io.trellis.storm.framework;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.trellis.api.CommandSpec;
import io.trellis.api.Json;
import io.trellis.api.TaskSpec;
import io.trellis.storm.schedule.DedicatedScheduler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Trellis task of one supervisor: a JVM on the adapter's class path running Storm's
 * supervisor daemon with the ports of its offer, its local and log directories in the sandbox,
 * and labels naming the topology its workers belong to.
 */
public final class SupervisorCommand {
  public static final String MAIN = "io.trellis.storm.supervisor.SupervisorMain";
  public static final String LABEL_TOPOLOGY_ID = "storm-topology-id";
  public static final String LABEL_TOPOLOGY_NAME = "storm-topology-name";
  public static final String LABEL_SLOTS = "storm-worker-slots";
  public static final String LABEL_PORTS = "storm-worker-ports";

  private final FrameworkSettings settings;
  private final Supplier<List<String>> classArchive;

  public SupervisorCommand(FrameworkSettings settings) {
    this(settings, List::of);
  }

  /** @param classArchive the JVM options of the class-data archive, as it is at each launch (none yet: empty) */
  public SupervisorCommand(FrameworkSettings settings, Supplier<List<String>> classArchive) {
    this.settings = settings;
    this.classArchive = classArchive;
  }

  public TaskSpec task(String taskId, OfferPlanner.Placement p) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_TOPOLOGY_ID, p.topologyId());
    labels.put(LABEL_TOPOLOGY_NAME, p.topologyName());
    labels.put(LABEL_SLOTS, Integer.toString(p.slots()));
    labels.put(LABEL_PORTS, String.join(",", p.slotPorts().stream().map(String::valueOf).toList()));
    return new TaskSpec(taskId, "storm supervisor for " + p.topologyName(), p.offer().agentId(), p.resources(),
        new CommandSpec(shell(taskId, p), true, List.of(),
            Map.of("STORM_EXT_CLASSPATH", settings.libDir() + "/*", "JAVA_HOME", settings.javaHome()), null),
        labels, 15.0, null);
  }

  /** Storm settings of this supervisor, on top of those every supervisor shares. */
  Map<String, Object> conf(String taskId, OfferPlanner.Placement p) {
    Map<String, Object> conf = new LinkedHashMap<>(settings.supervisorConf());
    conf.put("supervisor.slots.ports", p.slotPorts());
    conf.put("supervisor.thrift.port", p.thriftPort());
    conf.put("storm.local.hostname", p.offer().hostname());
    conf.put("storm.local.dir", "storm-local");
    conf.put("storm.log.dir", "logs");
    conf.put("supervisor.scheduler.meta", Map.of(DedicatedScheduler.META_TASK, taskId,
        DedicatedScheduler.META_TOPOLOGY, p.topologyId()));
    String childopts = String.join(" ", classArchive.get());
    childopts += (childopts.isEmpty() ? "" : " ") + "-Xmx" + p.size().heapMb() + "m -Xss1m";
    if (!settings.extraJavaOptions().isBlank()) {
      childopts += " " + settings.extraJavaOptions();
    }
    conf.put("worker.childopts", childopts);
    conf.put("worker.heap.memory.mb", p.size().heapMb());
    return conf;
  }

  String shell(String taskId, OfferPlanner.Placement p) {
    String json;
    try {
      json = Json.mapper().writeValueAsString(conf(taskId, p));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the supervisor's settings: " + e.getMessage(), e);
    }
    List<String> argv = new ArrayList<>();
    argv.add(settings.javaHome() + "/bin/java");
    argv.add("-Xmx" + settings.supervisor().heapMb() + "m");
    argv.add("-XX:+UseSerialGC");
    argv.add("-XX:TieredStopAtLevel=1");
    argv.addAll(classArchive.get());
    if (!settings.extraJavaOptions().isBlank()) {
      argv.addAll(List.of(settings.extraJavaOptions().trim().split("\\s+")));
    }
    argv.addAll(List.of("-cp", settings.libDir() + "/*", MAIN,
        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))));
    StringBuilder sh = new StringBuilder("exec");
    for (String a : argv) {
      sh.append(' ').append(quote(a));
    }
    return sh.toString();
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
