package io.trellis.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.jobs.framework.JobsConfig;
import io.trellis.jobs.framework.JobsFramework;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.security.auth.AccessRules;
import io.trellis.security.auth.AuditLog;
import io.trellis.security.auth.BearerTokens;
import io.trellis.security.auth.Endpoints.Endpoint;
import io.trellis.security.auth.Hashes;
import io.trellis.security.auth.ServerSecurity;
import io.trellis.services.ServicesProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The four servers (master, agent, services, jobs), closed, on real ZooKeeper: every endpoint
 * their resource models register (and the master's agent endpoints outside JAX-RS) refuses a
 * caller without credentials or with a wrong token (401, JSON, a challenge), and a known
 * principal no rule allows (403 naming default deny); every mutating call leaves an audit line.
 * An endpoint added later is walked too, and fails here until its refusal for a principal without
 * rights is written down in {@link #NOBODY_BODIES}.
 */
class EveryEndpointIsGuardedTest {
  /** Bodies a principal without rights sends to each mutating endpoint: well-formed, so the refusal is the access check's. */
  private static final Map<String, String> NOBODY_BODIES = new LinkedHashMap<>();

  static {
    NOBODY_BODIES.put("master POST /api/v1/scheduler",
        "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"frameworkInfo\":{\"name\":\"f\",\"roles\":[\"r\"]}}}");
    NOBODY_BODIES.put("master PUT /api/v1/roles/{role: .+}", "{\"weight\":2}");
    NOBODY_BODIES.put("master POST /api/v1/frameworks/{id}/teardown", "");
    NOBODY_BODIES.put("master POST /internal/agents/register",
        "{\"hostname\":\"fake\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1000\"}");
    NOBODY_BODIES.put("master POST /internal/agents/heartbeat", "{\"agentId\":\"a\"}");
    NOBODY_BODIES.put("master POST /internal/agents/update",
        "{\"agentId\":\"a\",\"frameworkId\":\"f\",\"status\":{\"taskId\":\"t\",\"state\":\"RUNNING\"}}");
    NOBODY_BODIES.put("master POST /internal/agents/updates", "{\"agentId\":\"a\",\"updates\":[]}");
    for (String order : List.of("launch", "launches", "kill", "kills", "acknowledge", "acknowledgements")) {
      NOBODY_BODIES.put("agent POST /internal/tasks/" + order, "{}");
    }
    NOBODY_BODIES.put("services POST /v2/apps", "{\"id\":\"/x\",\"cmd\":\"sleep 1\"}");
    NOBODY_BODIES.put("services PUT /v2/apps", "[{\"id\":\"/x\",\"cmd\":\"sleep 1\"}]");
    for (String m : List.of("PUT", "PATCH", "POST", "DELETE")) {
      NOBODY_BODIES.put("services " + m + " /v2/apps/{path: .+}", "{\"cmd\":\"sleep 1\"}");
    }
    NOBODY_BODIES.put("services POST /v2/groups", "{\"id\":\"/g\",\"apps\":[{\"id\":\"a\",\"cmd\":\"sleep 1\"}]}");
    for (String m : List.of("PUT", "POST", "DELETE")) {
      NOBODY_BODIES.put("services " + m + " /v2/groups/{path: .+}", "{\"apps\":[{\"id\":\"a\",\"cmd\":\"sleep 1\"}]}");
    }
    NOBODY_BODIES.put("services DELETE /v2/deployments/{id}", "");
    NOBODY_BODIES.put("services POST /v2/tasks/delete", "{\"ids\":[\"x.1\"]}");
    String job = "{\"name\":\"j\",\"command\":\"true\",\"schedule\":\"R/2030-01-01T00:00:00Z/PT1H\"}";
    for (String path : List.of("iso8601", "dependency", "job/{name}", "job/success/{name}", "task/kill/{name}")) {
      for (String m : List.of("POST", "PUT", "DELETE")) {
        NOBODY_BODIES.put("jobs " + m + " /{base: (v1/)?scheduler}/" + path, job);
      }
    }
  }

  private static final String ADMIN = Hashes.newToken();
  private static final String NOBODY = Hashes.newToken();
  private static final String TEAM = Hashes.newToken();
  private static final String AGENT = Hashes.newToken();
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final ListAppender<ILoggingEvent> audit = new ListAppender<>();

  @TempDir
  static Path dir;
  private static TestingServer zk;
  private static MasterProcess master;
  private static AgentProcess agent;
  private static ServicesProcess services;
  private static JobsFramework jobs;
  private static final Map<String, String> servers = new LinkedHashMap<>();
  private static final Map<String, List<Endpoint>> endpoints = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    audit.start();
    logger.addAppender(audit);
    logger.setLevel(Level.DEBUG);
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    AccessRules rules = AccessRules.parse("""
        [{"principals": ["team"], "action": "manage_apps", "objects": ["/team/prod/*"], "allow": false},
         {"principals": ["team"], "action": "manage_apps", "objects": ["/team/*"], "allow": true},
         {"principals": ["agent"], "action": "register_agent", "allow": true},
         {"principals": ["team"], "action": "register_framework", "objects": ["team"], "allow": true}]""", Set.of("admin"));
    ServerSecurity security = ServerSecurity.on(List.of(BearerTokens.of(Map.of("admin", Hashes.tokenHash(ADMIN),
        "nobody", Hashes.tokenHash(NOBODY), "team", Hashes.tokenHash(TEAM), "agent", Hashes.tokenHash(AGENT)))), rules);
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withHost("127.0.0.1").withPort(0), zkSpec, security);
    AgentConfig agentConfig = AgentConfig.of(master.endpoint(), dir.resolve("agent")).withPort(0);
    agent = AgentProcess.start(agentConfig, Resources.parse("cpus:1;mem:256"), Attributes.parse(""),
        MasterDetectors.from(master.endpoint()), security);
    services = ServicesProcess.start(zkSpec, master.endpoint(), "*", "127.0.0.1", 0, security);
    jobs = JobsFramework.start(JobsConfig.of(zkSpec).withMaster(master.endpoint()).withHost("127.0.0.1").withPort(0), security);
    servers.put("master", master.endpoint());
    servers.put("agent", agent.endpoint());
    servers.put("services", "127.0.0.1:" + services.port());
    servers.put("jobs", jobs.endpoint());
    endpoints.put("master", master.endpoints());
    endpoints.put("agent", agent.endpoints());
    endpoints.put("services", services.endpoints());
    endpoints.put("jobs", jobs.endpoints());
    awaitLeading();
  }

  /** The services and jobs instances lead (their election is ZooKeeper's, not the master's). */
  private static void awaitLeading() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String s = send("GET", servers.get("services"), "/health", null, null).body();
      String j = send("GET", servers.get("jobs"), "/v1/scheduler/leader", null, "Bearer " + ADMIN).body();
      if (s.contains("\"leading\":true") && j.contains("\"leading\":true")) {
        return;
      }
      Thread.sleep(100);
    }
    fail("services or jobs did not lead within 30 s");
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {jobs, services, agent, master, zk}) {
      if (c != null) {
        c.close();
      }
    }
    ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).detachAppender(audit);
  }

  @Test
  void everyEndpointRefusesCallersWithoutOrWithWrongCredentials() throws Exception {
    int walked = 0;
    for (Map.Entry<String, List<Endpoint>> server : endpoints.entrySet()) {
      assertTrue(server.getValue().size() >= 2, server.getKey() + " lists its endpoints: " + server.getValue());
      for (Endpoint e : server.getValue()) {
        String path = concrete(e.path());
        String what = server.getKey() + " " + e.method() + " " + path;
        String body = e.mutating() ? "{}" : null;
        HttpResponse<String> none = send(e.method(), servers.get(server.getKey()), path, body, null);
        if (!e.mutating() && ServerSecurity.PROBES.contains(path)) {
          assertTrue(none.statusCode() != 401, what + " is a liveness probe, open to all");
        } else {
          assertEquals(401, none.statusCode(), what + " without credentials: " + none.body());
          assertTrue(none.body().startsWith("{\"status\":401,\"message\":\"authentication required"), what + ": " + none.body());
          assertEquals("Bearer realm=\"trellis\"", none.headers().firstValue("WWW-Authenticate").orElse(null), what);
        }
        HttpResponse<String> wrong = send(e.method(), servers.get(server.getKey()), path, body, "Bearer " + Hashes.newToken());
        assertEquals(401, wrong.statusCode(), what + " with a wrong token: " + wrong.body());
        walked++;
      }
    }
    assertTrue(walked > 40, "walked " + walked + " endpoints");
    for (Map.Entry<String, List<Endpoint>> server : endpoints.entrySet()) {
      for (Endpoint e : server.getValue()) {
        if (e.mutating()) {
          awaitAudited("server=" + server.getKey() + " principal=unauthenticated call=\"" + e.method() + " "
              + concrete(e.path()) + "\" status=401");
        }
      }
    }
  }

  @Test
  void aPrincipalNoRuleAllowsIsRefusedEverywhereNamingDefaultDeny() throws Exception {
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, List<Endpoint>> server : endpoints.entrySet()) {
      for (Endpoint e : server.getValue()) {
        String path = concrete(e.path());
        if (!e.mutating() && ServerSecurity.PROBES.contains(path)) {
          continue;
        }
        String key = server.getKey() + " " + e.method() + " " + e.path();
        String body = e.mutating() ? NOBODY_BODIES.get(key) : null;
        if (e.mutating() && body == null) {
          unknown.add(key);
          continue;
        }
        HttpResponse<String> r = send(e.method(), servers.get(server.getKey()), path, body, "Bearer " + NOBODY);
        assertEquals(403, r.statusCode(), key + " as a principal without rights: " + r.body());
        assertTrue(r.body().contains("principal 'nobody' may not") && r.body().contains("no rule allows it (default deny)"),
            key + ": " + r.body());
      }
    }
    assertEquals(List.of(), unknown, "endpoints whose refusal of a principal without rights is not written down here");
  }

  @Test
  void aRuleRefusingNamesItselfAndTheAuditLineSaysWhoWhatAndTheResult() throws Exception {
    HttpResponse<String> prod = send("POST", servers.get("services"), "/v2/apps",
        "{\"id\":\"/team/prod/web\",\"cmd\":\"sleep 1\"}", "Bearer " + TEAM);
    assertEquals(403, prod.statusCode(), prod.body());
    assertTrue(prod.body().contains("principal 'team' may not manage_apps app id '/team/prod/web': rule 1 {principals"
        + " [team], action manage_apps, objects [/team/prod/*], allow false}"), prod.body());
    HttpResponse<String> role = send("PUT", servers.get("master"), "/api/v1/roles/audited", "{\"weight\":2}", "Bearer " + ADMIN);
    assertEquals(200, role.statusCode(), role.body());
    awaitAudited("server=services principal=team call=\"POST /v2/apps\" manage_apps=\"/team/prod/web\":refused status=403");
    awaitAudited("server=master principal=admin call=\"PUT /api/v1/roles/audited\" update_weight=\"audited\":allowed status=200");
    assertTrue(auditLines().stream().noneMatch(l -> l.contains(TEAM) || l.contains(ADMIN)), "no token in the audit log");
  }

  @Test
  void aFakeAgentIsRefusedUnlessItIsTheAgentPrincipal() throws Exception {
    String fake = "{\"hostname\":\"fake\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1000;mem:1000000\"}";
    assertEquals(401, send("POST", servers.get("master"), "/internal/agents/register", fake, null).statusCode());
    HttpResponse<String> team = send("POST", servers.get("master"), "/internal/agents/register", fake, "Bearer " + TEAM);
    assertEquals(403, team.statusCode());
    assertTrue(team.body().contains("may not register_agent agent 'fake'"), team.body());
    String state = send("GET", servers.get("master"), "/api/v1/state", null, "Bearer " + ADMIN).body();
    assertTrue(!state.contains("cpus:1000") && !state.contains("\"fake\""), "the fake agent is not registered: " + state);
    HttpResponse<String> real = send("POST", servers.get("master"), "/internal/agents/register", fake, "Bearer " + AGENT);
    assertEquals(200, real.statusCode(), real.body());
    assertNotNull(real.body());
  }

  private static List<String> auditLines() {
    synchronized (audit) {
      return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /** The audit line is written once the call is answered: wait for it a little. */
  private static void awaitAudited(String expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (auditLines().stream().anyMatch(l -> l.contains(expected))) {
        return;
      }
      Thread.sleep(20);
    }
    fail("no audit line with " + expected + " in " + auditLines());
  }

  @Test
  void aFrameworkStaysWithThePrincipalThatSubscribedIt() throws Exception {
    String subscribe = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"frameworkInfo\":{\"id\":\"owned\",\"name\":\"f\","
        + "\"roles\":[\"team\"]}}}";
    HttpRequest first = HttpRequest.newBuilder(URI.create("http://" + servers.get("master") + "/api/v1/scheduler"))
        .header("Authorization", "Bearer " + TEAM).POST(HttpRequest.BodyPublishers.ofString(subscribe)).build();
    HttpResponse<java.io.InputStream> stream = http.send(first, HttpResponse.BodyHandlers.ofInputStream());
    try (java.io.InputStream events = stream.body()) {
      assertEquals(200, stream.statusCode());
      assertEquals("owned", stream.headers().firstValue("Trellis-Framework-Id").orElse(null));
      awaitAudited("server=master principal=team call=\"POST /api/v1/scheduler SUBSCRIBE\" register_framework=\"team\":allowed"
          + " status=200");
      HttpResponse<String> takeover = send("POST", servers.get("master"), "/api/v1/scheduler", subscribe, "Bearer " + ADMIN);
      assertEquals(403, takeover.statusCode(), takeover.body());
      assertTrue(takeover.body().contains("framework owned was subscribed by principal 'team'; principal 'admin' may not"
          + " take it over"), takeover.body());
      HttpResponse<String> refused = send("POST", servers.get("master"), "/api/v1/frameworks/owned/teardown", null,
          "Bearer " + NOBODY);
      assertEquals(403, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("may not teardown_framework framework principal 'team'"), refused.body());
      assertEquals(200, send("POST", servers.get("master"), "/api/v1/frameworks/owned/teardown", null, "Bearer " + ADMIN)
          .statusCode());
      assertEquals(404, send("POST", servers.get("master"), "/api/v1/frameworks/owned/teardown", null, "Bearer " + ADMIN)
          .statusCode(), "torn down");
    }
  }

  /** A path template with sample values: {@code {path: .+}} becomes x, {@code {base: (v1/)?scheduler}} v1/scheduler. */
  static String concrete(String template) {
    Matcher m = Pattern.compile("\\{(\\w+)(?:\\s*:\\s*((?:[^{}]|\\{[^{}]*\\})+))?\\}").matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String regex = m.group(2) == null ? "[^/]+" : m.group(2).trim();
      String sample = null;
      for (String candidate : List.of("x", "v1/scheduler", "ping")) {
        if (candidate.matches(regex)) {
          sample = candidate;
          break;
        }
      }
      if (sample == null) {
        fail("no sample value for " + m.group() + " in " + template + ": add one");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(sample));
    }
    m.appendTail(out);
    return out.toString().replaceAll("//+", "/");
  }

  private static HttpResponse<String> send(String method, String endpoint, String path, String body, String authorization)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + endpoint + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .method(method, body == null || body.isEmpty() || List.of("GET", "HEAD", "DELETE").contains(method)
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
