package io.trellis.master.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Role names an operator (or an attacker) may put in the path of {@code PUT /api/v1/roles/...}:
 * each bad one is refused with a 4xx JSON body naming the role field, never a 500, an empty body
 * or a stack trace. Requests are written raw, so that the path reaches the master as typed.
 */
class OperatorInputTest {
  private static MasterProcess master;

  @BeforeAll
  static void start() throws Exception {
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0));
  }

  @AfterAll
  static void stop() {
    master.close();
  }

  /** Status line and body of a raw HTTP/1.1 request. */
  private static String[] raw(String method, String path, String body) throws Exception {
    String[] hostPort = master.endpoint().split(":");
    try (Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      try {
        out.write((method + " " + path + " HTTP/1.1\r\nHost: " + master.endpoint() + "\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
      } catch (java.io.IOException refusedEarly) {
        // the server answered and closed before reading everything (an oversized request line)
      }
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = response.indexOf("\r\n\r\n");
      return new String[] {response.substring(0, response.indexOf("\r\n")), split < 0 ? "" : response.substring(split + 4)};
    }
  }

  @org.junit.jupiter.api.Test
  void overlongRoleNamesAreRefusedAndNothingIsStored() throws Exception {
    String[] r = raw("PUT", "/api/v1/roles/" + "r".repeat(1000), "{\"weight\": 2}");
    assertEquals("422", r[0].split(" ")[1], r[1]);
    assertTrue(r[1].contains("\"role\"") && r[1].contains("at most 255"), r[1]);
    // A request line past the server's 8 KiB header limit is refused before it reaches the API.
    String[] huge = raw("PUT", "/api/v1/roles/" + "r".repeat(300_000), "{\"weight\": 2}");
    assertEquals("400", huge[0].split(" ")[1], huge[0]);
    String roles = raw("GET", "/api/v1/roles", "")[1];
    assertFalse(roles.contains("rrrrrrrrrr"), roles.substring(0, Math.min(200, roles.length())));
  }

  /** Odd requests to every kind of endpoint: a 4xx with a JSON body naming the problem, never a 5xx. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "GET|/api/v1/state?x=%ZZ|", "GET|/api/v1/st%ZZate|", "GET|/api/v1/state%|", "GET|/%2e%2e/%2e%2e/etc/passwd|",
      "DELETE|/api/v1/state|", "PATCH|/api/v1/roles/web|{}", "POST|/api/v1/scheduler|{\"type\":\"NOPE\"}",
      "POST|/api/v1/scheduler|", "POST|/api/v1/scheduler|[1,2", "PUT|/api/v1/roles/web|{\"weight\":1e400}",
      "PUT|/api/v1/roles/web|{\"weight\":-1}", "PUT|/api/v1/roles/web|{\"quota\":{\"guarantee\":\"cpus:x\"}}",
      "POST|/internal/agents/heartbeat|{}", "POST|/internal/agents/update|{\"status\":{}}", "GET|/internal/agents/register|",
      "POST|/internal/agents/nope|{}", "GET|/api/v1/roles/%00|"})
  void oddRequestsGetA4xxWithAJsonBody(String method, String path, String body) throws Exception {
    String[] r = raw(method, path, body == null ? "" : body);
    int status = Integer.parseInt(r[0].split(" ")[1]);
    assertTrue(status >= 400 && status < 500, method + " " + path + " -> " + r[0] + " " + r[1]);
    assertFalse(r[1].contains("Exception") || r[1].contains("at io.") || r[1].contains("at org."), r[1]);
    assertEquals(status, Json.mapper().readTree(r[1]).path("status").asInt(), method + " " + path + ": " + r[1]);
  }

  @org.junit.jupiter.api.Test
  void aRoleMarkedNonPreemptibleShowsSoAndKeepsItThroughOtherUpdates() throws Exception {
    String[] set = raw("PUT", "/api/v1/roles/protected", "{\"preemptible\": false}");
    assertEquals("200", set[0].split(" ")[1], set[1]);
    raw("PUT", "/api/v1/roles/protected", "{\"weight\": 2}");
    JsonNode roles = Json.mapper().readTree(raw("GET", "/api/v1/roles", "")[1]);
    JsonNode role = null;
    for (JsonNode r : roles) {
      if (r.path("name").asText().equals("protected")) {
        role = r;
      }
    }
    assertEquals(false, role.path("preemptible").asBoolean(true), roles.toString());
    assertEquals(2.0, role.path("weight").asDouble(), roles.toString());

    String[] bad = raw("PUT", "/api/v1/roles/protected", "{\"preemptible\": \"maybe\"}");
    assertEquals("400", bad[0].split(" ")[1], bad[1]);
    assertTrue(bad[1].contains("$.preemptible"), bad[1]);
  }

  @org.junit.jupiter.api.Test
  void aQuotaNamingAResourceTwiceIsRefusedNotSummed() throws Exception {
    String[] r = raw("PUT", "/api/v1/roles/twice", "{\"quota\":{\"guarantee\":\"cpus:1;cpus:2\"}}");
    assertEquals("422", r[0].split(" ")[1], r[1]);
    assertTrue(r[1].contains("quota.guarantee") && r[1].contains("names cpus twice"), r[1]);
    assertFalse(raw("GET", "/api/v1/roles", "")[1].contains("cpus:3"));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "{\"hostname\":\"h\",\"endpoint\":\"127.0.0.1:1\"}|resources",
      "{\"hostname\":\"h\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:x\"}|resources",
      "{\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1\"}|hostname",
      "{\"hostname\":\"h\",\"resources\":\"cpus:1\"}|endpoint",
      "{\"hostname\":\"h\",\"endpoint\":\"ftp://x\",\"resources\":\"cpus:1\"}|endpoint",
      "{\"agentId\":\"../../etc\",\"hostname\":\"h\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1\"}|agentId",
      "{\"hostname\":\"h\",\"hostname\":\"i\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1\"}|hostname",
      "{\"hostname\":\"h\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1\",\"attributes\":{\"rack\":\"\"}}|attributes",
      "{\"hostname\":\"h\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1\",\"attributes\":[1]}|expected an object, not an array",
      "null|null",
      "{\"agentId\":\" \",\"hostname\":\"h\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1\"}|agentId",
      "{\"hostname\":\"h\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1\",\"tasks\":[null]}|tasks[0]",
      "{\"hostname\":\"h\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1\",\"tasks\":[{\"frameworkId\":\"f\",\"role\":\"*\","
          + "\"state\":\"RUNNING\",\"task\":{\"taskId\":\"t\",\"resources\":\"cpus:2\"}}]}|beyond the agent's resources"})
  void aRegistrationMissingOrSpoilingAFieldIsA4xxNamingIt(String body, String field) throws Exception {
    String[] r = raw("POST", "/internal/agents/register", body);
    int status = Integer.parseInt(r[0].split(" ")[1]);
    assertTrue(status == 400 || status == 422, body + " -> " + r[0] + " " + r[1]);
    assertTrue(r[1].contains(field), body + " -> " + r[1]);
    assertFalse(r[1].contains("java.") || r[1].contains("Exception"), r[1]);
    assertFalse(raw("GET", "/api/v1/state", "")[1].contains("\"hostname\":\"h\""), "an agent was registered");
  }

  /** Once, a registration with a broken task list failed half-way and the agent could never register again. */
  @org.junit.jupiter.api.Test
  void aRefusedRegistrationLeavesTheAgentAbleToRegisterAgain() throws Exception {
    String good = "{\"agentId\":\"again\",\"hostname\":\"again\",\"endpoint\":\"127.0.0.1:1\",\"resources\":\"cpus:1\"}";
    assertEquals("200", raw("POST", "/internal/agents/register", good)[0].split(" ")[1]);
    String[] bad = raw("POST", "/internal/agents/register", good.replace("}", ",\"tasks\":[null]}"));
    assertEquals("422", bad[0].split(" ")[1], bad[1]);
    String[] again = raw("POST", "/internal/agents/register", good);
    assertEquals("200", again[0].split(" ")[1], again[1]);
  }

  @org.junit.jupiter.api.Test
  void aBodyThatIsNotUtf8IsA400() throws Exception {
    String[] hostPort = master.endpoint().split(":");
    try (Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      byte[] b = "{\"agentId\":\"a\u00e9\"}".getBytes(StandardCharsets.UTF_8);
      b[b.length - 3] = (byte) 0x28; // the second byte of the accent spoiled: C3 28 is not UTF-8
      s.getOutputStream().write(("POST /internal/agents/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: " + b.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(b);
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 400") && answer.contains("not UTF-8"), answer);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2000000000", "-1000000001"})
  void aFrameworkPriorityOutOfRangeIsRefusedNamingIt(String priority) throws Exception {
    String[] r = raw("POST", "/api/v1/scheduler", "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"frameworkInfo\":"
        + "{\"name\":\"p\",\"roles\":[\"*\"],\"priority\":" + priority + "}}}");
    assertEquals("422", r[0].split(" ")[1], r[1]);
    assertTrue(r[1].contains("subscribe.frameworkInfo.priority"), r[1]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/roles/web", "/api/v1/scheduler", "/internal/agents/register"})
  void jsonNested60kDeepIsA400(String path) throws Exception {
    String deep = "[".repeat(60_000) + "]".repeat(60_000);
    String[] r = raw(path.endsWith("web") ? "PUT" : "POST", path, deep);
    assertEquals("400", r[0].split(" ")[1], r[0] + " " + r[1]);
    assertTrue(r[1].contains("unparsable JSON"), r[1]);
    assertFalse(r[1].contains("Exception"), r[1]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"..%2F..%2Fetc", "..%2fetc", "a%2F..", "%2E%2E", "a%00b", "a%5Cb", "%2Fa", "a%2F%2Fb",
      "-x", "a%20b", "%FF%FE", "%C0%AF", "a;b", "%2A%2Fx"})
  void badRoleNamesAreRefusedNamingTheRoleField(String role) throws Exception {
    String[] r = raw("PUT", "/api/v1/roles/" + role, "{\"weight\": 2}");
    int status = Integer.parseInt(r[0].split(" ")[1]);
    assertTrue(status >= 400 && status < 500, role + " -> " + r[0] + " " + r[1]);
    assertFalse(r[1].isBlank(), role + ": empty body with " + r[0]);
    assertFalse(r[1].contains("Exception") || r[1].contains("at io.") || r[1].contains("at org."), r[1]);
    JsonNode body = Json.mapper().readTree(r[1]);
    assertEquals(status, body.path("status").asInt(), r[1]);
    assertTrue(body.path("message").asText().contains("role") || body.path("fields").toString().contains("role"),
        role + ": the answer names the role: " + r[1]);
  }
}
