package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Marathon's {@code unreachableStrategy} on a real cluster whose agent goes silent and comes
 * back with its tasks: an unreachable instance is replaced only after
 * {@code inactiveAfterSeconds}, one back before {@code expungeAfterSeconds} is kept and the
 * surplus (the younger replacement) killed, one back after it is killed, and {@code "disabled"}
 * never replaces.
 */
class UnreachableStrategyTest {
  private static final String APP = "\"cmd\": \"sleep 1000\", \"cpus\": 0.1, \"mem\": 16, \"portDefinitions\": [],"
      + " \"unreachableStrategy\": ";

  @Test
  void unreachableInstancesAreReplacedKeptOrExpungedAsTheirAppSays() throws Exception {
    try (TestCluster cluster = new TestCluster(Duration.ofMinutes(5))) {
      AgentProcess away = cluster.agent("127.0.0.2", "cpus:2;mem:1024;disk:100", "");
      cluster.startServices();
      V2 api = cluster.api;
      create(api, "/patient", "{\"inactiveAfterSeconds\": 300, \"expungeAfterSeconds\": 600}");
      create(api, "/never", "\"disabled\"");
      create(api, "/replaced", "{\"inactiveAfterSeconds\": 1, \"expungeAfterSeconds\": 600}");
      create(api, "/expunged", "{\"inactiveAfterSeconds\": 0, \"expungeAfterSeconds\": 1}");
      Waits.until("every app runs on the agent that will go away", Duration.ofSeconds(60),
          () -> api.readyInstances("/patient") + api.readyInstances("/never") + api.readyInstances("/replaced")
              + api.readyInstances("/expunged") == 4);
      String patient = taskIds(api, "/patient").get(0);
      String replacedOriginal = taskIds(api, "/replaced").get(0);
      String expungedOriginal = taskIds(api, "/expunged").get(0);

      cluster.agent("127.0.0.1", "cpus:2;mem:1024;disk:100", "");
      away.close();
      Waits.until("replacements for /replaced and /expunged run on the other agent", Duration.ofSeconds(60),
          () -> runningOn(api, "/replaced", "127.0.0.1") == 1 && runningOn(api, "/expunged", "127.0.0.1") == 1);
      Waits.until("/expunged forgot its unreachable instance", Duration.ofSeconds(30),
          () -> taskIds(api, "/expunged").size() == 1);
      assertEquals(List.of(patient), taskIds(api, "/patient"), "no replacement within inactiveAfterSeconds");
      assertEquals("TASK_UNREACHABLE", task(api, "/patient", patient).path("state").asText());
      assertEquals(1, taskIds(api, "/never").size(), "disabled: never replaced");
      assertEquals(2, taskIds(api, "/replaced").size(), "the unreachable instance is kept until expunged");

      cluster.restart(away);
      Waits.until("the instances back in time are kept, the surplus and the expunged killed", Duration.ofSeconds(60),
          () -> taskIds(api, "/replaced").equals(List.of(replacedOriginal))
              && api.readyInstances("/replaced") == 1 && api.readyInstances("/patient") == 1
              && api.readyInstances("/never") == 1 && api.readyInstances("/expunged") == 1
              && !taskIds(api, "/expunged").contains(expungedOriginal));
      assertEquals(List.of(patient), taskIds(api, "/patient"));
      Waits.until("the expunged original is killed on its agent", Duration.ofSeconds(30),
          () -> cluster.liveTasksInMaster() == 4);
    }
  }

  private static void create(V2 api, String id, String strategy) {
    V2.Reply r = api.send("POST", "/v2/apps", "{\"id\": \"" + id + "\", " + APP + strategy + "}");
    assertEquals(201, r.status(), r.text());
  }

  private static List<String> taskIds(V2 api, String app) {
    List<String> out = new ArrayList<>();
    api.app(app).path("tasks").forEach(t -> out.add(t.path("id").asText()));
    return out;
  }

  private static JsonNode task(V2 api, String app, String taskId) {
    for (JsonNode t : api.app(app).path("tasks")) {
      if (t.path("id").asText().equals(taskId)) {
        return t;
      }
    }
    throw new AssertionError(taskId + " is not a task of " + app);
  }

  private static long runningOn(V2 api, String app, String host) {
    long n = 0;
    for (JsonNode t : api.app(app).path("tasks")) {
      if (t.path("host").asText().equals(host) && t.path("state").asText().equals("TASK_RUNNING")) {
        n++;
      }
    }
    return n;
  }
}
