package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.testkit.security.TestPrincipals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Apps that ask the host for more than their caller is granted are refused at the API, 403
 * naming the field and the grant (422 for a value no grant allows), and nothing is stored. Real
 * services API on a real cluster; the caller and an access-rule authorizer are put on each request
 * the way the servers' authentication does.
 */
class ContainerPolicyApiTest extends ServicesClusterTest {
  private static final String MANAGE = "manage_apps=*";

  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:2;mem:1024;disk:1000;ports:[31400-31419]", "");
  }

  private V2.Reply as(String grants, String method, String path, String body) {
    return api.send(method, path, body, Map.of(TestPrincipals.PRINCIPAL_HEADER, "ci",
        TestPrincipals.GRANTS_HEADER, grants));
  }

  private static String docker(String id, String dockerExtra, String containerExtra) {
    return "{\"id\": \"" + id + "\", \"instances\": 0, \"cpus\": 0.1, \"mem\": 16, \"container\": {\"type\": \"DOCKER\","
        + " \"docker\": {\"image\": \"busybox\"" + dockerExtra + "}" + containerExtra + "}}";
  }

  /** The refused fields' paths, and that each message names the grant. */
  private static List<String> refusedPaths(V2.Reply r) {
    List<String> paths = new ArrayList<>();
    for (JsonNode e : r.body().path("errors")) {
      paths.add(e.path("path").asText());
    }
    return paths;
  }

  private void assertRefused(int status, V2.Reply r, String path, String grant) {
    assertEquals(status, r.status(), r.text());
    assertTrue(refusedPaths(r).contains(path), r.text());
    assertTrue(r.text().contains(grant), r.text());
    assertTrue(r.text().contains("'ci'") || status == 422, "the principal is named: " + r.text());
  }

  @Test
  void eachWayOfTakingTheHostIsRefusedNamingTheFieldAndTheGrant_andNothingIsStored() {
    assertRefused(403, as(MANAGE, "POST", "/v2/apps", docker("/priv", ", \"privileged\": true", "")),
        "$.container.docker.privileged", "privileged_container");
    assertRefused(403, as(MANAGE, "POST", "/v2/apps", docker("/etc-mount", "",
        ", \"volumes\": [{\"containerPath\": \"/e\", \"hostPath\": \"/etc\", \"mode\": \"RO\"}]")),
        "$.container.volumes[0].hostPath", "host_volume");
    assertRefused(403, as(MANAGE, "POST", "/v2/apps", docker("/sock", "",
        ", \"volumes\": [{\"containerPath\": \"/s\", \"hostPath\": \"/var/run/docker.sock\", \"mode\": \"RW\"}]")),
        "$.container.volumes[0].hostPath", "/var/run/docker.sock");
    assertRefused(403, as(MANAGE, "POST", "/v2/apps", docker("/hostnet", ", \"network\": \"HOST\"", "")),
        "$.container.docker.network", "host_namespace");
    V2.Reply cap = as(MANAGE, "POST", "/v2/apps", docker("/cap", ", \"parameters\": [{\"key\": \"cap-add\","
        + " \"value\": \"SYS_ADMIN\"}]", ""));
    assertRefused(403, cap, "$.container.docker.parameters[0]", "add_capability");
    assertTrue(cap.text().contains("docker_parameter") && cap.text().contains("SYS_ADMIN"), cap.text());
    assertRefused(403, as(MANAGE, "POST", "/v2/apps", docker("/pid", ", \"parameters\": [{\"key\": \"pid\","
        + " \"value\": \"host\"}]", "")), "$.container.docker.parameters[0]", "host_namespace");
    assertRefused(403, as(MANAGE, "POST", "/v2/apps",
        "{\"id\": \"/as-root\", \"cmd\": \"id\", \"user\": \"root\", \"instances\": 0}"), "$.user", "run_tasks");
    assertRefused(422, as(MANAGE + ",host_volume=*", "POST", "/v2/apps", docker("/dots", "",
        ", \"volumes\": [{\"containerPath\": \"/e\", \"hostPath\": \"/data/../etc\", \"mode\": \"RO\"}]")),
        "$.container.volumes[0].hostPath", "..");

    // Replacing, batches and groups go through the same policy.
    assertRefused(403, as(MANAGE, "PUT", "/v2/apps/priv2", docker("/priv2", ", \"privileged\": true", "")),
        "$.container.docker.privileged", "privileged_container");
    assertRefused(403, as(MANAGE, "PUT", "/v2/apps", "[" + docker("/fine", "", "") + ", "
        + docker("/priv3", ", \"privileged\": true", "") + "]"), "$[1].container.docker.privileged",
        "privileged_container");
    assertRefused(403, as(MANAGE, "POST", "/v2/groups", "{\"id\": \"/g\", \"apps\": ["
        + docker("/g/priv", ", \"privileged\": true", "") + "]}"), "$.apps[0].container.docker.privileged",
        "privileged_container");

    for (String id : List.of("/priv", "/etc-mount", "/sock", "/hostnet", "/cap", "/pid", "/as-root", "/dots",
        "/priv2", "/fine", "/priv3", "/g/priv")) {
      assertEquals(404, api.get("/v2/apps" + id).status(), id + " was stored");
    }
  }

  @Test
  void aCallerGrantedWhatTheAppAsksForCreatesIt_andDockerAppsUseTheBridgeNetworkUnlessAsked() {
    V2.Reply plain = as(MANAGE, "POST", "/v2/apps", docker("/bridged", "", ""));
    assertEquals(201, plain.status(), plain.text());
    assertEquals("BRIDGE", api.app("/bridged").path("container").path("docker").path("network").asText("BRIDGE"));

    String grants = MANAGE + ",privileged_container=/ops/*,host_volume=/var/run/docker.sock,run_tasks=root";
    V2.Reply granted = as(grants, "POST", "/v2/apps", "{\"id\": \"/ops/agent\", \"instances\": 0, \"cpus\": 0.1,"
        + " \"mem\": 16, \"user\": \"root\", \"container\": {\"type\": \"DOCKER\", \"docker\": {\"image\": \"busybox\","
        + " \"privileged\": true}, \"volumes\": [{\"containerPath\": \"/s\", \"hostPath\": \"/var/run/docker.sock\","
        + " \"mode\": \"RW\"}]}}");
    assertEquals(201, granted.status(), granted.text());
    assertEquals(200, api.get("/v2/apps/ops/agent").status());

    V2.Reply elsewhere = as(grants, "POST", "/v2/apps", docker("/dev/priv", ", \"privileged\": true", ""));
    assertRefused(403, elsewhere, "$.container.docker.privileged", "'/dev/priv'");
  }
}
