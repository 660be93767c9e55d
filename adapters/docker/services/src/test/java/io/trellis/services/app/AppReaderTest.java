package io.trellis.services.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.services.ServiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reading app definitions: documented formats accepted, ignored fields named, defaults filled. */
class AppReaderTest {
  static final Path EXAMPLES = Path.of("../../../conf/examples");

  @Test
  void everyExampleInConfIsAccepted() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> all = files.filter(p -> p.toString().endsWith(".json")).toList();
      assertTrue(all.size() >= 4, "examples found: " + all);
      for (Path p : all) {
        ParsedApp app = AppReader.read(Files.readString(p));
        assertTrue(app.app().id().startsWith("/"), p.toString());
      }
    }
  }

  @Test
  void unsupportedFieldsAreNamedInWarningsNotDropped() throws IOException {
    ParsedApp app = AppReader.read(Files.readString(EXAMPLES.resolve("full-app.json")));
    String warnings = String.join("\n", app.warnings());
    for (String field : List.of("$.executor", "$.fetch", "$.uris", "$.acceptedResourceRoles",
        "$.killSelection")) {
      assertTrue(warnings.contains(field + " is not supported"), field + " in " + warnings);
    }
    assertEquals(5, app.warnings().size(), warnings);
    AppDefinition a = app.app();
    assertEquals(new UnreachableStrategy(300.0, 600.0, null), a.unreachableStrategy());
    assertEquals(List.of("/product/db/postgres", "/product/cache"), a.dependencies());
    assertEquals(4, a.constraints().size());
    assertEquals(2, a.hostPortCount());
    assertEquals("COMMAND", a.healthChecks().get(1).agentProtocol());
  }

  @Test
  void unknownFieldsAreWarnedAboutByPath() {
    ParsedApp app = AppReader.read("""
        {"id": "x", "cmd": "true", "colour": "blue", "container": {"type": "DOCKER",
         "docker": {"image": "i", "network": "BRIDGE", "credential": {"principal": "p"}}}}""");
    assertEquals(List.of("$.colour is not a known field and is ignored",
        "$.container.docker.credential is not supported by Trellis and is ignored"), app.warnings());
  }

  @Test
  void defaultsFollowTheDocumentedValues() {
    AppDefinition a = AppReader.read("{\"id\": \"group/app\", \"cmd\": \"sleep 1\"}").app();
    assertEquals("/group/app", a.id());
    assertEquals(1, a.instances());
    assertEquals(1.0, a.cpus());
    assertEquals(128.0, a.mem());
    assertEquals(1, a.portDefinitions().size(), "one port by default");
    assertEquals(1.0, a.upgradeStrategy().minimumHealthCapacity());
    assertEquals(1.0, a.upgradeStrategy().maximumOverCapacity());
    assertEquals(1.15, a.backoffFactor());
  }

  @Test
  void theOlderPortsListBecomesPortDefinitions() {
    AppDefinition a = AppReader.read("{\"id\": \"p\", \"cmd\": \"true\", \"ports\": [0, 0, 0]}").app();
    assertEquals(3, a.portDefinitions().size());
  }

  @Test
  void typeErrorsAndRuleErrorsComeInOneAnswer() {
    ServiceException e = assertThrows(ServiceException.class, () -> AppReader.read("""
        {"id": "/ok", "cmd": "true", "mem": "much", "env": {"A": 1}, "instances": -2,
         "portDefinitions": [{"port": 70000}], "backoffFactor": 0.5}"""));
    assertEquals(422, e.status());
    assertEquals(List.of("$.mem", "$.env.A", "$.instances", "$.backoffFactor", "$.portDefinitions[0].port"),
        e.errors().stream().map(f -> f.path()).toList());
  }

  @Test
  void anAppWithNothingToRunIsRefused() {
    ServiceException e = assertThrows(ServiceException.class, () -> AppReader.read("{\"id\": \"/nothing\"}"));
    assertEquals("$.cmd", e.errors().get(0).path());
  }

  @Test
  void mergePatchesObjectsAndReplacesTheRest() {
    var base = AppReader.tree("{\"a\": {\"b\": 1, \"c\": 2}, \"d\": [1]}");
    var merged = AppReader.merge(base, AppReader.tree("{\"a\": {\"c\": 3}, \"d\": [2]}"));
    assertEquals("{\"a\":{\"b\":1,\"c\":3},\"d\":[2]}", merged.toString());
  }

  @Test
  void aStoredAppReadsBackWithAPatchApplied() throws IOException {
    for (String name : List.of("web-docker.json", "docker-legacy.json", "full-app.json", "web-cmd.json")) {
      AppDefinition stored = AppReader.read(Files.readString(EXAMPLES.resolve(name))).app();
      ParsedApp again = AppReader.read(AppReader.merge(AppReader.toTree(stored), AppReader.tree("{\"instances\": 5}")), stored.id());
      assertEquals(stored.withInstances(5), again.app(), name);
      assertEquals(List.of(), again.warnings(), name);
    }
  }

  @Test
  void theNetworksListChoosesTheDockerNetwork() {
    AppDefinition a = AppReader.read("""
        {"id": "n", "networks": [{"mode": "container/bridge"}],
         "container": {"type": "DOCKER", "docker": {"image": "i"}, "forcePullImage": true,
           "portMappings": [{"containerPort": 80, "hostPort": 0, "name": "web"}]}}""").app();
    assertEquals("BRIDGE", a.container().network());
    assertEquals(true, a.container().docker().forcePullImage());
    assertEquals(1, a.hostPortCount());
    ServiceException e = assertThrows(ServiceException.class,
        () -> AppReader.read("{\"id\": \"n\", \"cmd\": \"x\", \"networks\": [{\"mode\": \"overlay\"}]}"));
    assertEquals("$.networks[0].mode", e.errors().get(0).path());
  }
}
