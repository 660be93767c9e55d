package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;

/**
 * ZooKeeper keeps at most 1 MB in a node and in a request. The services store keeps one node per
 * app, version, instance and deployment, so a group whose apps total several megabytes is stored,
 * served and recovered by a new services leader; one app too large for a node is refused with a
 * 413 or a 422 naming it, before anything of it is stored.
 */
class LargeDefinitionsTest {
  /** An app of about {@code kib} KiB (a multiple of 50), most of it environment values of 50 KiB each. */
  private static String app(String id, int kib) {
    List<String> env = new ArrayList<>();
    for (int i = 0; i < kib / 50; i++) {
      env.add("\"BIG_" + i + "\":\"" + "e".repeat(50 * 1024) + "\"");
    }
    return "{\"id\":\"" + id + "\",\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,\"instances\":0,"
        + "\"env\":{" + String.join(",", env) + "}}";
  }

  @Test
  void aGroupOfSeveralMegabytesIsStoredAndRecoveredAndAnAppTooLargeForANodeIsRefusedWhole() throws Exception {
    try (TestCluster cluster = new TestCluster();
        CuratorFramework zk = CuratorFrameworkFactory.newClient(cluster.zk.getConnectString(), new RetryOneTime(100))) {
      zk.start();
      cluster.startServices();
      V2 api = cluster.api;
      for (int i = 0; i < 12; i++) {
        assertEquals(201, api.send("POST", "/v2/apps", app("/large/app-" + i, 150)).status());
      }
      List<String> sub = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        sub.add(app("/large/sub/app-" + i, 150));
      }
      V2.Reply group = api.send("PUT", "/v2/groups/large/sub", "{\"id\":\"/large/sub\",\"apps\":[" + String.join(",", sub) + "]}");
      assertTrue(group.status() < 300, group.text().substring(0, Math.min(300, group.text().length())));
      Waits.until("deployed", java.time.Duration.ofSeconds(60), api::deploymentsDone);
      TreeMap<String, String> before = versions(api);
      assertEquals(17, before.size(), before.keySet().toString());
      long total = api.send("GET", "/v2/groups/large", null).text().length();
      assertTrue(total > 2_500_000, "the group is " + total + " characters");

      String appsNode = "/trellis/services/apps";
      int appNodes = zk.getChildren().forPath(appsNode).size();
      int versionNodes = zk.getChildren().forPath("/trellis/services/versions").size();
      V2.Reply tooLarge = api.send("POST", "/v2/apps", app("/large/too-large", 900));
      assertEquals(422, tooLarge.status(), tooLarge.text().substring(0, Math.min(300, tooLarge.text().length())));
      assertTrue(tooLarge.text().contains("KiB as stored"), tooLarge.text().substring(0, 300));
      V2.Reply overBody = api.send("POST", "/v2/apps", app("/large/over-body", 1100));
      assertEquals(413, overBody.status(), overBody.text().substring(0, Math.min(300, overBody.text().length())));
      V2.Reply inGroup = api.send("PUT", "/v2/groups/large/sub", "{\"id\":\"/large/sub\",\"apps\":["
          + app("/large/sub/app-0", 300) + "," + app("/large/sub/app-9", 300) + "]}");
      assertEquals(422, inGroup.status(), inGroup.text().substring(0, Math.min(300, inGroup.text().length())));
      assertTrue(inGroup.text().contains("$.apps[0]") && inGroup.text().contains("KiB as stored"), inGroup.text().substring(0, 300));
      assertEquals(appNodes, zk.getChildren().forPath(appsNode).size(), "no app node added");
      assertEquals(versionNodes, zk.getChildren().forPath("/trellis/services/versions").size(), "no version added");
      assertEquals(404, api.send("GET", "/v2/apps/large/too-large", null).status());
      assertEquals(before, versions(api), "a refused group changes none of its apps");

      cluster.stopServices();
      cluster.startServices();
      Waits.until("the new leader serves", java.time.Duration.ofSeconds(60),
          () -> cluster.api.send("GET", "/v2/apps", null).status() == 200);
      assertEquals(before, versions(cluster.api), "every app and version recovered");
      JsonNode one = cluster.api.app("/large/sub/app-4");
      assertEquals(3, one.path("env").size());
      assertEquals(50 * 1024, one.path("env").path("BIG_2").asText().length());
      assertFalse(cluster.api.send("GET", "/v2/apps/large/over-body", null).status() == 200);
    }
  }

  private static TreeMap<String, String> versions(V2 api) {
    TreeMap<String, String> out = new TreeMap<>();
    for (JsonNode app : api.send("GET", "/v2/apps", null).body().path("apps")) {
      out.put(app.path("id").asText(), app.path("version").asText());
    }
    return out;
  }
}
