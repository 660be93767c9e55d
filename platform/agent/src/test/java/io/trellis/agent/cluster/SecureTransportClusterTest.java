package io.trellis.agent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.security.ClientSecurity;
import io.trellis.security.TransportSecurity;
import io.trellis.security.tls.SelfSignedSetup;
import io.trellis.security.tls.ServerTls;
import io.trellis.security.tls.SslContexts;
import io.trellis.security.zk.ZkCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster with every transport secured: the master and the agent serve https and require
 * client certificates of the cluster's CA (mutual TLS both ways), the master keeps its state in
 * ZooKeeper under digest credentials. A framework with the CA and a certificate runs a task
 * end to end; clients without the CA, without a certificate, or without the ZooKeeper
 * credentials are refused, and the agent (which has no ZooKeeper credentials) still finds the
 * leader. A real ZooKeeper, master, agent and task process.
 */
class SecureTransportClusterTest {
  private static final String RESOURCES = "cpus:1;mem:256";
  @TempDir
  static Path dir;
  static TestingServer zk;
  static SelfSignedSetup setup;
  static MasterProcess master;
  static AgentProcess agent;
  static ClientSecurity framework;

  @BeforeAll
  static void start() throws Exception {
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    setup = SelfSignedSetup.ensure(dir.resolve("security"), List.of(), Instant.now());
    framework = new ClientSecurity(null, SslContexts.of(setup.certificate(), setup.key(), setup.ca()));
    ServerTls mutual = setup.server(ServerTls.ClientAuth.NEED);
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec,
        new TransportSecurity(mutual, framework, new ZkCredentials("trellis", "zk-secret")));
    agent = AgentProcess.start(AgentConfig.of(zkSpec, dir.resolve("agent")).withPort(0).withResources(RESOURCES),
        Resources.parse(RESOURCES), Attributes.NONE, MasterDetectors.from(zkSpec),
        new TransportSecurity(mutual, framework, null));
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (master != null) {
      master.close();
    }
    zk.close();
  }

  @Test
  void aFrameworkWithTheCaAndACertificateRunsATaskOverTls() throws Exception {
    QueuedFramework f = new QueuedFramework();
    try (MasterDetector detector = MasterDetectors.from(master.endpoint());
        SchedulerClient client = SchedulerClient.start(detector, framework,
            new FrameworkInfo(null, "tls", "test", List.of("*"), 0.0, null), f)) {
      client.awaitSubscribed(Duration.ofSeconds(30));
      OfferInfo offer = f.nextOffer();
      client.accept(List.of(offer.id()), List.of(new TaskSpec("over-tls", "over-tls", offer.agentId(), "cpus:0.1;mem:16",
          CommandSpec.shell("echo hello over tls"), Map.of(), 1.0, null)), 60.0);
      assertEquals(TaskState.FINISHED, f.await("over-tls", TaskState.FINISHED, TaskState.FAILED, TaskState.ERROR).state());
    }
    HttpResponse<String> state = get(framework, master.endpoint(), "/api/v1/state");
    assertEquals(200, state.statusCode());
    assertEquals(agent.endpoint(), Json.mapper().readTree(state.body()).path("agents").get(0).path("endpoint").asText());
  }

  @Test
  void clientsWithoutTheCaOrACertificateAreRefusedAndNothingRuns() throws Exception {
    ClientSecurity plain = ClientSecurity.none();
    ClientSecurity noCa = new ClientSecurity(null, SslContexts.of(setup.certificate(), setup.key(), null));
    ClientSecurity noCertificate = new ClientSecurity(null, SslContexts.of(null, null, setup.ca()));
    for (String endpoint : List.of(master.endpoint(), agent.endpoint())) {
      for (ClientSecurity refused : List.of(plain, noCa, noCertificate)) {
        assertThrows(IOException.class, () -> get(refused, endpoint, "/api/v1/state"), endpoint + " " + refused);
      }
    }
    // The agent's launch endpoint called directly without a certificate: refused at the handshake.
    String launch = "{\"frameworkId\":\"fake\",\"task\":{\"taskId\":\"evil\",\"command\":{\"value\":\"touch "
        + dir.resolve("pwned") + "\"}}}";
    assertThrows(IOException.class, () -> noCertificate.httpClient().build().send(HttpRequest.newBuilder(
        URI.create(noCertificate.url(agent.endpoint()) + "/internal/tasks/launch"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(launch)).build(),
        HttpResponse.BodyHandlers.ofString()));
    assertTrue(!Files.exists(dir.resolve("pwned")));
  }

  @Test
  void theMastersZooKeeperStateIsClosedToClientsWithoutItsCredentials() throws Exception {
    try (CuratorFramework stranger = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
      stranger.start();
      assertTrue(stranger.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS));
      // The election is open, so the agent (without credentials) found the leader ...
      assertTrue(new String(stranger.getData().forPath("/trellis/leader-info")).contains(master.endpoint()));
      // ... but the state and the epoch are not.
      assertThrows(KeeperException.NoAuthException.class, () -> stranger.getChildren().forPath("/trellis/state"));
      assertThrows(KeeperException.NoAuthException.class, () -> stranger.create().forPath("/trellis/state/agents-fake"));
      assertThrows(KeeperException.NoAuthException.class, () -> stranger.setData().forPath("/trellis/epoch", new byte[] {'9'}));
      assertThrows(KeeperException.NoAuthException.class, () -> stranger.delete().forPath("/trellis/leader-info"));
    }
  }

  private static HttpResponse<String> get(ClientSecurity client, String endpoint, String path) throws Exception {
    return client.httpClient().connectTimeout(Duration.ofSeconds(5)).build().send(client.authorize(
        HttpRequest.newBuilder(URI.create(client.url(endpoint) + path))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
