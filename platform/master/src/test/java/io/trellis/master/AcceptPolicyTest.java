package io.trellis.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.AgentProtocol;
import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.SchedulerCall;
import io.trellis.api.SchedulerEvent;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.master.http.SchedulerResource;
import io.trellis.testkit.security.TestPrincipals;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The master's ACCEPT applies the container policy to external frameworks: a task asking for a
 * privileged container or a host path its framework's principal is not granted is not launched (TASK_ERROR naming the field and the grant) and reaches no agent; a granted one is
 * launched. A real master over HTTP; the agent is the recording far end of the master's calls.
 */
class AcceptPolicyTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MasterProcess master;
  private RecordingAgents agents;
  private HttpResponse<Stream<String>> stream;

  @BeforeEach
  void start() throws Exception {
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0));
    agents = new RecordingAgents();
    HttpResponse<String> r = post("/internal/agents/register", Json.mapper().writeValueAsString(new AgentProtocol.Register(
        null, "host-a", agents.endpoint("a"), "cpus:4;mem:4096", Map.of(), List.of())), Map.of());
    assertEquals(200, r.statusCode(), r.body());
  }

  @AfterEach
  void stop() {
    if (stream != null) {
      stream.body().close();
    }
    agents.close();
    master.close();
  }

  private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static SchedulerEvent next(Iterator<String> events, SchedulerEvent.Type type) throws Exception {
    while (events.hasNext()) {
      String line = events.next();
      if (!line.isBlank()) {
        SchedulerEvent e = Json.mapper().readValue(line, SchedulerEvent.class);
        if (e.type() == type) {
          return e;
        }
      }
    }
    throw new AssertionError("the event stream ended before a " + type + " event");
  }

  @Test
  void tasksTheFrameworksPrincipalMayNotLaunchFailWithTheReasonAndReachNoAgent() throws Exception {
    String subscribe = Json.mapper().writeValueAsString(SchedulerCall.subscribe(
        new FrameworkInfo(null, "external", "test", List.of("*"), 0.0, null)));
    stream = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/api/v1/scheduler"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(subscribe)).build(),
        HttpResponse.BodyHandlers.ofLines());
    String streamId = stream.headers().firstValue(SchedulerResource.STREAM_HEADER).orElseThrow();
    String frameworkId = stream.headers().firstValue("Trellis-Framework-Id").orElseThrow();
    Iterator<String> events = stream.body().iterator();
    String offer = next(events, SchedulerEvent.Type.OFFERS).offers().get(0).id();

    ContainerSpec privileged = new ContainerSpec("DOCKER", "busybox", "BRIDGE", false, true, List.of(),
        List.of(Map.of("containerPath", "/h", "hostPath", "/", "mode", "RW")), Map.of());
    TaskSpec refused = new TaskSpec("escape", "escape", null, "cpus:0.1;mem:32", CommandSpec.shell("true"), Map.of(),
        null, privileged);
    TaskSpec plain = new TaskSpec("plain", "plain", null, "cpus:0.1;mem:32", CommandSpec.shell("true"), Map.of(),
        null, null);
    HttpResponse<String> accepted = post("/api/v1/scheduler", Json.mapper().writeValueAsString(
        SchedulerCall.accept(frameworkId, List.of(offer), List.of(refused, plain), 0.0)),
        Map.of(SchedulerResource.STREAM_HEADER, streamId, TestPrincipals.PRINCIPAL_HEADER, "external-fw",
            TestPrincipals.GRANTS_HEADER, "register_framework=*"));
    assertEquals(202, accepted.statusCode(), accepted.body());

    TaskStatus s = next(events, SchedulerEvent.Type.UPDATE).update();
    assertEquals("escape", s.taskId());
    assertEquals(TaskState.ERROR, s.state(), s.toString());
    assertEquals("REASON_TASK_UNAUTHORIZED", s.reason());
    assertTrue(s.message().contains("accept.launch[0].container.privileged") && s.message().contains("privileged_container")
        && s.message().contains("accept.launch[0].container.volumes[0].hostPath") && s.message().contains("'external-fw'"),
        s.message());
    RecordingAgents.Call launch = agents.next();
    assertEquals("launch", launch.endpoint(), "only the allowed task is launched");
    assertTrue(launch.body().contains("\"plain\"") && !launch.body().contains("escape"), launch.body());
    assertNull(agents.poll(Duration.ofMillis(300)), "no other call reached the agent");
  }
}
