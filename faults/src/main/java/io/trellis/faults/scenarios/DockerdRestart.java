package io.trellis.faults.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Services;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Invariants;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * kill -9 of the Docker daemon while an app's Docker instances run, then the daemon started again:
 * whatever became of the containers, the master ends up listing as running exactly the containers
 * that run, the app is whole again (none doubled), and no stopped Trellis container is left behind.
 */
public final class DockerdRestart implements Scenario {
  private static final String IMAGE = "trellis/busybox:latest";
  private final String name;
  private final int instances;

  public DockerdRestart(String name, int instances) {
    this.name = name;
    this.instances = instances;
  }

  @Override
  public Result run(Rig rig) throws Exception {
    Result r = new Result(name);
    if (!DockerCli.answers()) {
      return r.check("a Docker daemon to kill", false, "no Docker daemon answers on this host: run bin/docker-setup"
          + " (it installs docker.io, starts dockerd and builds " + IMAGE + "), then this scenario again");
    }
    Set<String> agents = agentIds(rig);
    Services services = new Services(rig);
    String app = "/faults/dockerd";
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("id", app);
    spec.put("cmd", "sleep 86400");
    spec.put("instances", instances);
    spec.put("cpus", 0.05);
    spec.put("mem", 16);
    spec.put("container", Map.of("type", "DOCKER", "docker", Map.of("image", IMAGE)));
    services.create(spec);
    services.awaitRunning(app, instances, Duration.ofSeconds(180));
    Set<String> before = Invariants.running(rig, app);

    DockerCli.killDaemon();
    Waits.until("dockerd to be gone", Duration.ofSeconds(20), () -> !DockerCli.answers());
    // Long enough for the agents to notice: their container watches fail while the daemon is away.
    Waits.sleep(Duration.ofSeconds(10));
    long restarted = System.nanoTime();
    DockerCli.startDaemon();
    Waits.until("dockerd to answer again", Duration.ofSeconds(90), DockerCli::answers);

    // Settled: the master's running instances of the app are exactly the running containers.
    List<String> why = new java.util.ArrayList<>();
    boolean settled = Invariants.settles(Duration.ofSeconds(240), () -> {
      why.clear();
      Set<String> listed = Invariants.running(rig, app);
      Set<String> containers = running(DockerCli.containers(agents, false));
      if (listed.size() != instances) {
        why.add("the master lists " + listed.size() + " of " + instances + " instances running");
      }
      if (!listed.equals(containers)) {
        Set<String> ghosts = new TreeSet<>(listed);
        ghosts.removeAll(containers);
        Set<String> unknown = new TreeSet<>(containers);
        unknown.removeAll(listed);
        why.add(ghosts.size() + " listed running without a container, " + unknown.size()
            + " running containers not listed");
      }
      return why.isEmpty();
    });
    Duration recovery = Duration.ofNanos(System.nanoTime() - restarted);
    Set<String> after = Invariants.running(rig, app);
    Set<String> kept = new HashSet<>(before);
    kept.retainAll(after);
    r.check("the master lists as running exactly the containers that run", settled, recovery, settled
        ? after.size() + " instances running in " + after.size() + " containers; " + kept.size() + " of " + before.size()
            + " came through the daemon's restart, the rest were reported and replaced"
        : String.join("; ", why));

    Map<String, String> all = DockerCli.containers(agents, true);
    Set<String> running = running(all);
    r.check(Invariants.NO_ORPHANS, running.size() == instances && running.equals(after), recovery,
        running.size() + " Trellis containers running for " + instances + " instances");
    List<String> leftovers = new java.util.ArrayList<>();
    boolean cleaned = Invariants.settles(Duration.ofSeconds(60), () -> {
      leftovers.clear();
      DockerCli.containers(agents, true).forEach((task, state) -> {
        if (!"running".equals(state)) {
          leftovers.add(task + " (" + state + ")");
        }
      });
      return leftovers.isEmpty();
    });
    r.check("no stopped Trellis container left behind", cleaned, cleaned ? "none"
        : leftovers.size() + " left, e.g. " + leftovers.get(0));
    Invariants.liveKnown(rig, r, Duration.ofSeconds(30));

    services.delete(app);
    return r;
  }

  private static Set<String> running(Map<String, String> containers) {
    Set<String> out = new TreeSet<>();
    containers.forEach((task, state) -> {
      if ("running".equals(state)) {
        out.add(task);
      }
    });
    return out;
  }

  private static Set<String> agentIds(Rig rig) {
    Set<String> out = new HashSet<>();
    for (JsonNode a : rig.state().path("agents")) {
      out.add(a.path("id").asText());
    }
    return out;
  }
}
