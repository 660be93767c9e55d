package io.trellis.faults.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Services;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Invariants;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A storm of status updates (an app whose instances all fail every few seconds and are launched
 * again at once) while the leading services framework is killed: the standby takes over within the
 * failover budget, every update is delivered and acknowledged (no task stays listed live without
 * its process), and when the app is fixed it runs exactly its instances, none doubled.
 */
public final class StatusStorm implements Scenario {
  private final String name;
  private final int instances;

  public StatusStorm(String name, int instances) {
    this.name = name;
    this.instances = instances;
  }

  @Override
  public Result run(Rig rig) throws Exception {
    Result r = new Result(name);
    Services services = new Services(rig);
    String app = "/faults/storm";
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("id", app);
    spec.put("cmd", rig.ledger().command("sh -c 'sleep 2; exit 3'"));
    spec.put("instances", instances);
    spec.put("cpus", 0.01);
    spec.put("mem", 4);
    spec.put("backoffSeconds", 0.2);
    spec.put("backoffFactor", 1.0);
    spec.put("maxLaunchDelaySeconds", 1);
    services.create(spec);
    long stormed = System.nanoTime();
    Waits.until("the storm to blow (" + instances + " launches)", Duration.ofSeconds(120),
        () -> rig.ledger().entries().size() >= instances);
    Waits.sleep(Duration.ofSeconds(10));
    int launchesBefore = rig.ledger().entries().size();

    Node leader = servicesLeader(rig);
    long t0 = System.nanoTime();
    leader.kill9();
    Waits.until("another services instance to lead", Duration.ofSeconds(60), () -> {
      try {
        return !servicesLeader(rig).equals(leader);
      } catch (RuntimeException noneAnswersYet) {
        return false;
      }
    });
    Node next = servicesLeader(rig);
    Duration failover = Duration.ofNanos(System.nanoTime() - t0);
    r.check("another services instance leads within " + LeaderKill.FAILOVER_BUDGET.toSeconds() + " s",
        failover.compareTo(LeaderKill.FAILOVER_BUDGET) <= 0, failover, leader.name() + " killed in a storm of "
            + launchesBefore + " launches in " + (t0 - stormed) / 1_000_000_000 + " s; " + next.name() + " leads");
    // The storm goes on under the new leader.
    Waits.sleep(Duration.ofSeconds(15));
    int launchesAfter = rig.ledger().entries().size() - launchesBefore;
    r.check("the new leader goes on relaunching failed instances", launchesAfter >= instances,
        launchesAfter + " launches in the 15 s after the failover");

    // Fixed: every instance runs, and stays.
    Map<String, Object> fixed = new LinkedHashMap<>(spec);
    fixed.put("cmd", rig.ledger().command("sleep 86400"));
    fixed.remove("id");
    long fixedAt = System.nanoTime();
    rig.api().put(rig.servicesUrl() + "/v2/apps" + app + "?force=true", fixed).expectOk("PUT /v2/apps" + app);
    services.awaitRunning(app, instances, Duration.ofSeconds(240));
    Duration recovery = Duration.ofNanos(System.nanoTime() - fixedAt);

    List<String> ghosts = new ArrayList<>();
    boolean delivered = Invariants.settles(Duration.ofSeconds(60), () -> {
      ghosts.clear();
      Set<String> alive = rig.taskProcesses().keySet();
      for (JsonNode t : rig.state().path("tasks")) {
        String state = t.path("state").asText();
        if (app.equals(t.path("name").asText()) && !Invariants.terminal(state) && !alive.contains(t.path("id").asText())) {
          ghosts.add(t.path("id").asText() + " (" + state + ")");
        }
      }
      return ghosts.isEmpty();
    });
    r.check("every update delivered: no task listed live without its process", delivered, recovery, delivered
        ? rig.ledger().entries().size() + " launches in all, every ended one reported ended"
        : ghosts.size() + " listed live without a process, e.g. " + ghosts.get(0));
    Invariants.appWhole(rig, r, app, instances, recovery);
    Invariants.launchedOnce(rig, r);
    Invariants.liveKnown(rig, r, Duration.ofSeconds(30));

    leader.start();
    rig.awaitUp(leader);
    services.delete(app);
    return r;
  }


  /** The services instance that leads now, from any instance's {@code /v2/leader}. */
  static Node servicesLeader(Rig rig) {
    JsonNode answer = rig.api().get(rig.servicesUrl() + "/v2/leader").expectOk("GET /v2/leader");
    String leader = answer.path("leader").asText();
    for (Node n : rig.nodes(Node.Role.SERVICES)) {
      if (leader.startsWith(n.host().address() + ":")) {
        return n;
      }
    }
    throw new IllegalStateException("no services instance of the rig is the leader " + leader + " that "
        + rig.servicesUrl() + " names");
  }
}
