package io.trellis.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * Simulated agents follow a new leader as real ones do: when the leading master stops, they
 * register with the standby with their running tasks, which stay RUNNING and can be killed.
 */
class SimulatedFailoverTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ConcurrentLinkedQueue<TaskSpec> toLaunch = new ConcurrentLinkedQueue<>();
  private final Map<String, TaskStatus> latest = new ConcurrentHashMap<>();

  @Test
  void agentsRegisterWithTheNewLeaderWithTheirTasks() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
      MasterConfig config = MasterConfig.defaults().withPort(0).withHeartbeatInterval(Duration.ofSeconds(1));
      List<MasterProcess> masters = new ArrayList<>(List.of(MasterProcess.withZooKeeper(config, zkSpec),
          MasterProcess.withZooKeeper(config, zkSpec)));
      try (MasterDetector detector = MasterDetectors.from(zkSpec);
          SimulatedCluster sim = SimulatedCluster.start(zkSpec, 50, "cpus:4;mem:4096");
          SchedulerClient framework = SchedulerClient.start(detector,
              new FrameworkInfo(null, "failover-test", "test", List.of("*"), 600.0, null), new Scheduler() {
                @Override
                public void offers(SchedulerClient c, List<OfferInfo> offers) {
                  for (OfferInfo o : offers) {
                    TaskSpec t = toLaunch.poll();
                    if (t == null) {
                      c.decline(List.of(o.id()), 1.0);
                    } else {
                      c.accept(List.of(o.id()), List.of(t), 1.0);
                    }
                  }
                }

                @Override
                public void update(SchedulerClient c, TaskStatus s) {
                  latest.put(s.taskId(), s);
                }
              })) {
        sim.awaitRegistered(Duration.ofMinutes(1));
        framework.awaitSubscribed(Duration.ofSeconds(30));
        for (int i = 0; i < 20; i++) {
          toLaunch.add(new TaskSpec("t" + i, "t" + i, null, "cpus:1;mem:256", CommandSpec.shell("serve"), Map.of(), null, null));
        }
        framework.revive(List.of());
        await("20 tasks RUNNING", () -> running() == 20);

        String leader = detector.await(Duration.ofSeconds(30)).endpoint();
        MasterProcess old = masters.stream().filter(m -> m.endpoint().equals(leader)).findFirst().orElseThrow();
        old.close();
        masters.remove(old);
        MasterProcess standby = masters.get(0);
        await("the standby leads with 50 reachable agents and 20 running tasks", () -> {
          JsonNode s = state(standby);
          if (s == null) {
            return false;
          }
          long reachable = 0;
          for (JsonNode a : s.path("agents")) {
            reachable += a.path("reachable").asBoolean() ? 1 : 0;
          }
          long tasks = 0;
          for (JsonNode t : s.path("tasks")) {
            tasks += t.path("state").asText().equals("RUNNING") ? 1 : 0;
          }
          return reachable == 50 && tasks == 20;
        });
        await("the simulator counts 50 agents registered", () -> sim.registered() == 50);

        await("the framework follows the new leader", () -> standby.endpoint().equals(framework.subscribedTo()));
        framework.kill("t3", latest.get("t3").agentId());
        await("t3 KILLED", () -> latest.get("t3").state() == TaskState.KILLED);
        assertEquals(19, sim.running());
      } finally {
        masters.forEach(MasterProcess::close);
      }
    }
  }

  private long running() {
    return latest.values().stream().filter(s -> s.state() == TaskState.RUNNING).count();
  }

  private JsonNode state(MasterProcess m) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + m.endpoint() + "/api/v1/state"))
          .build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 90 s: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
