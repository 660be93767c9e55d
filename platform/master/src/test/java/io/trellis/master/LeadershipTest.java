package io.trellis.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.AgentProtocol;
import io.trellis.api.Json;
import io.trellis.client.discovery.ZkLayout;
import io.trellis.master.state.ZkEpoch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Masters on a real ZooKeeper telling whether they lead and have recovered, and a leader that
 * learns from a fenced write that a newer leader exists stepping down at once instead of
 * carrying on.
 */
class LeadershipTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private TestingServer zk;
  private String zkSpec;
  private CuratorFramework client;
  private MasterProcess a;
  private MasterProcess b;

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(true);
    zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
    client.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {b, a, client, zk}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private HttpResponse<String> send(MasterProcess m, String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + m.endpoint() + path))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode health(MasterProcess m) throws Exception {
    HttpResponse<String> r = send(m, "GET", "/health", null);
    assertEquals(200, r.statusCode(), r.body());
    return Json.mapper().readTree(r.body());
  }

  /** Waits until the master's health satisfies {@code condition}, returning it. */
  private JsonNode awaitHealth(MasterProcess m, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode h = health(m);
    while (!condition.test(h)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("health not as expected within 30 s: " + h);
      }
      TimeUnit.MILLISECONDS.sleep(50);
      h = health(m);
    }
    return h;
  }

  @Test
  void mastersSayWhetherTheyLeadAndWhetherTheirRecoveryIsOver() throws Exception {
    a = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    awaitHealth(a, h -> h.path("leading").asBoolean() && h.path("recovered").asBoolean());
    b = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    JsonNode standby = awaitHealth(b, h -> h.path("leader").asText().equals(a.endpoint()));
    assertFalse(standby.path("leading").asBoolean(), standby.toString());
    assertFalse(standby.path("recovered").asBoolean(), standby.toString());
    HttpResponse<String> ui = send(b, "GET", "/ui/", null);
    assertEquals(307, ui.statusCode(), "a standby sends a browser on to the leader's UI");
    assertEquals("http://" + a.endpoint() + "/ui/", ui.headers().firstValue("Location").orElse(""));

    HttpResponse<String> reg = send(a, "POST", "/internal/agents/register", Json.mapper().writeValueAsString(
        new AgentProtocol.Register(null, "127.0.0.1", "127.0.0.1:1", "cpus:1;mem:64", Map.of(), List.of())));
    assertEquals(200, reg.statusCode(), reg.body());
    JsonNode registered = Json.mapper().readTree(reg.body());
    assertEquals(1, registered.path("epoch").asLong(), "the registration names the leader's epoch: " + registered);

    String first = a.endpoint();
    a.close();
    a = null;
    // The new leader knows the agent from the state store and waits for it to register again.
    JsonNode leading = awaitHealth(b, h -> h.path("leading").asBoolean());
    assertFalse(leading.path("recovered").asBoolean(), "recovered before the agent is back: " + leading);
    JsonNode state = Json.mapper().readTree(send(b, "GET", "/api/v1/state", null).body());
    assertTrue(state.path("leading").asBoolean(), state.toString());
    assertFalse(state.path("recovered").asBoolean(), state.toString());
    assertEquals(2, state.path("epoch").asLong(), state.toString());
    JsonNode leaders = Json.mapper().readTree(send(b, "GET", "/api/v1/overview", null).body()).path("leaders");
    assertEquals(2, leaders.size(), "the history of leaders is kept across the failover: " + leaders);
    assertEquals(first, leaders.get(0).path("endpoint").asText(), leaders.toString());
    assertEquals(2, leaders.get(1).path("epoch").asLong(), leaders.toString());

    HttpResponse<String> again = send(b, "POST", "/internal/agents/register", Json.mapper().writeValueAsString(
        new AgentProtocol.Register(registered.path("agentId").asText(), "127.0.0.1", "127.0.0.1:1", "cpus:1;mem:64",
            Map.of(), List.of())));
    assertEquals(200, again.statusCode(), again.body());
    assertTrue(health(b).path("recovered").asBoolean(), "recovered once every known agent is back");
  }

  @Test
  void aLeaderWhoseWriteIsFencedStepsDownAtOnceAndDoesNotStoreIt() throws Exception {
    a = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    awaitHealth(a, h -> h.path("leading").asBoolean());
    ZkLayout layout = new ZkLayout("/trellis");

    // A newer leader advanced the epoch while this one still believes it leads.
    long newer = new ZkEpoch(client, layout.epoch()).advance().epoch();
    HttpResponse<String> put = send(a, "PUT", "/api/v1/roles/web", "{\"weight\": 3}");
    assertEquals(503, put.statusCode(), "a fenced write is not answered as done: " + put.body());
    assertTrue(Json.mapper().readTree(put.body()).path("message").asText().contains("leader"), put.body());
    assertNull(client.checkExists().forPath(layout.state() + "/roles/web"), "the fenced write stored nothing");

    // It stepped down and contended again: it leads now only in an epoch after the newer one.
    awaitHealth(a, h -> h.path("leading").asBoolean());
    JsonNode state = Json.mapper().readTree(send(a, "GET", "/api/v1/state", null).body());
    assertTrue(state.path("epoch").asLong() > newer, "leads again only in a newer epoch: " + state.path("epoch"));
    assertEquals(200, send(a, "PUT", "/api/v1/roles/web", "{\"weight\": 3}").statusCode());
    assertNotNull(client.checkExists().forPath(layout.state() + "/roles/web"), "stored by the leader of the new epoch");
  }

  @Test
  void aLeaderWhoseWriteFailsOtherwiseAnswers503StoresNothingAndStepsDown() throws Exception {
    a = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    awaitHealth(a, h -> h.path("leading").asBoolean());
    long before = Json.mapper().readTree(send(a, "GET", "/api/v1/state", null).body()).path("epoch").asLong();
    ZkLayout layout = new ZkLayout("/trellis");
    String roles = layout.state() + "/roles";
    // ZooKeeper refuses the write (not a fencing): roles may be read (and their ACL set back) but not created.
    List<org.apache.zookeeper.data.ACL> readOnly = List.of(new org.apache.zookeeper.data.ACL(
        org.apache.zookeeper.ZooDefs.Perms.READ | org.apache.zookeeper.ZooDefs.Perms.ADMIN,
        org.apache.zookeeper.ZooDefs.Ids.ANYONE_ID_UNSAFE));
    if (client.checkExists().forPath(roles) == null) {
      client.create().creatingParentsIfNeeded().withACL(readOnly).forPath(roles);
    } else {
      client.setACL().withACL(readOnly).forPath(roles);
    }

    HttpResponse<String> put = send(a, "PUT", "/api/v1/roles/web", "{\"weight\": 3}");
    assertEquals(503, put.statusCode(), "a failed write is not answered as done: " + put.body());
    assertTrue(Json.mapper().readTree(put.body()).path("message").asText().contains("state store"), put.body());
    assertNull(client.checkExists().forPath(roles + "/web"), "nothing stored");

    // It stepped down and contended again; leading anew, it knows only what is stored.
    JsonNode state = awaitState(a, s -> s.path("leading").asBoolean() && s.path("epoch").asLong() > before);
    assertFalse(send(a, "GET", "/api/v1/roles", null).body().contains("\"web\""), "the refused role is not in effect");

    client.setACL().withACL(org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(roles);
    assertEquals(200, send(a, "PUT", "/api/v1/roles/web", "{\"weight\": 3}").statusCode(), "epoch " + state.path("epoch"));
    assertNotNull(client.checkExists().forPath(roles + "/web"));
  }

  private JsonNode awaitState(MasterProcess m, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      HttpResponse<String> r = send(m, "GET", "/api/v1/state", null);
      JsonNode s = r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : null;
      if (s != null && condition.test(s)) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("state not as expected within 30 s: " + r.statusCode() + " " + r.body());
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
