package io.trellis.services.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.TaskState;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.AppReader;
import io.trellis.services.app.VersionInfo;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.instance.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ZooKeeper store on a real (embedded) ZooKeeper: one znode per entity, read back after a reconnect. */
class ZkServiceStoreTest {
  TestingServer zk;
  ZkServiceStore store;

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(true);
    store = ZkServiceStore.connect(zk.getConnectString(), "/trellis/services");
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    zk.close();
  }

  static AppDefinition app(String id, String version) {
    return AppReader.read("{\"id\": \"" + id + "\", \"cmd\": \"sleep 1\"}").app()
        .withVersion(version, new VersionInfo(version, version));
  }

  @Test
  void appsVersionsInstancesDeploymentsAndTheFrameworkIdSurviveAReconnect() throws Exception {
    store.frameworkId("fw-1");
    store.putApp(app("/group/a", "2026-01-01T00:00:00Z"));
    store.putApp(app("/group/a", "2026-01-02T00:00:00Z").withInstances(3));
    store.putApp(app("/b", "2026-01-01T00:00:00Z"));
    List<Instance> instances = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      instances.add(new Instance("group_a." + i, "/group/a", "v", "agent", "h", null, List.of(31000 + i),
          TaskState.STAGING, null, "2026-01-01T00:00:00Z", null, false));
    }
    store.putInstances(instances);
    store.updateInstance(instances.get(0).killing());
    store.deleteInstance("group_a.1");
    store.putDeployment(Deployment.of("d1", "v", "/b", null, "StartApplication"));
    store.close();

    store = ZkServiceStore.connect(zk.getConnectString(), "/trellis/services");
    assertEquals(Optional.of("fw-1"), store.frameworkId());
    assertEquals(2, store.apps().size());
    assertEquals(3, store.apps().stream().filter(a -> a.id().equals("/group/a")).findFirst().orElseThrow().instances());
    assertEquals(List.of("2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"), store.versions("/group/a"));
    assertEquals(1, store.version("/group/a", "2026-01-01T00:00:00Z").orElseThrow().instances());
    List<Instance> back = store.instances();
    assertEquals(599, back.size());
    assertTrue(back.stream().filter(i -> i.taskId().equals("group_a.0")).findFirst().orElseThrow().killRequested());
    assertEquals("d1", store.deployments().get(0).id());

    store.deleteApp("/group/a");
    store.deleteDeployment("d1");
    assertEquals(1, store.apps().size());
    assertEquals(List.of(), store.versions("/group/a"));
    assertEquals(List.of(), store.deployments());
    store.updateInstance(instances.get(1));
    assertEquals(599, store.instances().size(), "updating a removed instance does not bring it back");
  }

  /** New instances on agents with many attributes: one round's well over ZooKeeper's 1 MB request limit. */
  @Test
  void aRoundOfLargeInstancesIsStoredWhateverItsTotalSize() {
    java.util.Map<String, String> attributes = new java.util.HashMap<>();
    for (int a = 0; a < 40; a++) {
      attributes.put("attribute-" + a, "v".repeat(200));
    }
    List<Instance> instances = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      instances.add(new Instance("large_a." + i, "/large/a", "v", "agent", "h", attributes, List.of(), TaskState.STAGING,
          null, "2026-01-01T00:00:00Z", null, false));
    }
    store.putInstances(instances);
    assertEquals(400, store.instances().stream().filter(i -> i.appId().equals("/large/a")).count());
  }

  @Test
  void onlyTheNewestVersionsAreKept() {
    for (int i = 0; i < ZkServiceStore.MAX_VERSIONS + 5; i++) {
      store.putApp(app("/many", String.format("2026-01-01T00:00:%02dZ", i)));
    }
    List<String> versions = store.versions("/many");
    assertEquals(ZkServiceStore.MAX_VERSIONS, versions.size());
    assertEquals("2026-01-01T00:00:05Z", versions.get(0));
  }
}
