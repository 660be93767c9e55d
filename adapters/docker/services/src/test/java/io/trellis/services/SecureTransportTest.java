package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services framework with TLS and ZooKeeper credentials: two instances serve https, the
 * standby passes calls on to the leader over https, the leader subscribes to a master that
 * requires client certificates, the links it builds say https, and its state in ZooKeeper is
 * closed to clients without the credentials while its election stays readable.
 */
class SecureTransportTest {
  @TempDir
  Path dir;

  @Test
  void instancesTalkHttpsToEachOtherAndTheMasterAndKeepTheirStateClosed() throws Exception {
    SelfSignedSetup setup = SelfSignedSetup.ensure(dir.resolve("security"), List.of(), Instant.now());
    ClientSecurity client = new ClientSecurity(null, SslContexts.of(setup.certificate(), setup.key(), setup.ca()));
    TransportSecurity transport = new TransportSecurity(setup.server(ServerTls.ClientAuth.NEED), client,
        new ZkCredentials("trellis", "zk-secret"));
    try (TestingServer zk = new TestingServer(true)) {
      String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
      try (MasterProcess master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec, transport);
          ServicesProcess leader = ServicesProcess.start(zkSpec, null, "*", "127.0.0.1", 0, transport)) {
        Waits.until("the leader subscribed to the master", Duration.ofSeconds(30),
            () -> leader.framework() != null && leader.framework().master() != null);
        try (ServicesProcess standby = ServicesProcess.start(zkSpec, null, "*", "127.0.0.1", 0, transport)) {
          assertFalse(standby.leads());
          HttpResponse<String> created = send(client, standby.port(), "POST", "/v2/apps",
              "{\"id\": \"/tls/web\", \"cmd\": \"sleep 1000\", \"instances\": 0, \"cpus\": 0.1, \"mem\": 16}");
          assertEquals(201, created.statusCode(), created.body());
          assertEquals("127.0.0.1:" + leader.port(), created.headers().firstValue("X-Trellis-Services-Via").orElse(""));
          JsonNode info = Json.mapper().readTree(send(client, leader.port(), "GET", "/v2/info", null).body());
          assertEquals("https://" + master.endpoint() + "/", info.path("marathon_config").path("mesos_leader_ui_url").asText());
          // Without the CA, or plain: refused at the handshake.
          ClientSecurity noCa = new ClientSecurity(null, SslContexts.of(setup.certificate(), setup.key(), null));
          assertThrows(IOException.class, () -> send(noCa, standby.port(), "GET", "/v2/apps", null));
          assertThrows(IOException.class, () -> send(ClientSecurity.none(), leader.port(), "GET", "/v2/apps", null));
        }
        try (CuratorFramework stranger = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
          stranger.start();
          assertTrue(stranger.blockUntilConnected(10, java.util.concurrent.TimeUnit.SECONDS));
          assertEquals(1, stranger.getChildren().forPath("/trellis/services/leader").size());
          assertThrows(KeeperException.NoAuthException.class, () -> stranger.getChildren().forPath("/trellis/services/apps"));
          assertThrows(KeeperException.NoAuthException.class,
              () -> stranger.setData().forPath("/trellis/services/framework-id", new byte[] {'x'}));
        }
      }
    }
  }

  private static HttpResponse<String> send(ClientSecurity client, int port, String method, String path, String body)
      throws Exception {
    return client.httpClient().connectTimeout(Duration.ofSeconds(5)).build().send(client.authorize(HttpRequest.newBuilder(
        URI.create(client.url("127.0.0.1:" + port) + path))).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
