package io.trellis.acceptance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The battery: absurd input for every HTTP API of a local cluster. Each case names the server it
 * goes to and, where one applies, the field its answer must name. None of them may be accepted.
 */
final class BadInputs {
  private BadInputs() {}

  enum Server { MASTER, AGENT, SERVICES, JOBS }

  record Case(String name, Server server, String method, String target, byte[] body, String mustName, String headers) {
    Case(String name, Server server, String method, String target, byte[] body, String mustName) {
      this(name, server, method, target, body, mustName, "");
    }

    @Override
    public String toString() {
      return server + " " + method + " " + (target.length() > 60 ? target.substring(0, 60) + "..." : target) + " (" + name + ")";
    }
  }

  static final String HUGE = "h".repeat(300_000);
  static final String LONG_LINE = "l".repeat(9_000);
  /** Numbers no field should take: overflowing, negative, not a number, absurdly big, a huge integer. */
  static final List<String> NUMBERS = List.of("1e400", "-1", "NaN", "1e308", "123456789012345678901234567890");

  /** An app that is fine in every respect but {@code field}. */
  static String app(String id, String field, String value) {
    return with("{\"id\":\"" + id + "\",\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,\"instances\":0}", field, value);
  }

  /** A job that is fine in every respect but {@code field}. */
  static String job(String name, String field, String value) {
    return with("{\"name\":\"" + name + "\",\"command\":\"true\",\"schedule\":\"R/2099-01-01T00:00:00Z/P1D\","
        + "\"cpus\":0.1,\"mem\":16,\"disk\":1,\"owner\":\"ops@example.com\"}", field, value);
  }

  private static String with(String json, String field, String value) {
    return field == null ? json : json.substring(0, json.length() - 1) + ",\"" + field + "\":" + value + "}";
  }

  /** JSON endpoints with a body each would accept; the battery spoils it in every generic way. */
  private record JsonEndpoint(Server server, String method, String target, String good) {}

  private static List<JsonEndpoint> jsonEndpoints() {
    return List.of(
        new JsonEndpoint(Server.MASTER, "PUT", "/api/v1/roles/battery-role", "{\"weight\":2}"),
        new JsonEndpoint(Server.MASTER, "POST", "/api/v1/scheduler",
            "{\"type\":\"DECLINE\",\"frameworkId\":\"battery-none\",\"decline\":{\"offerIds\":[]}}"),
        new JsonEndpoint(Server.MASTER, "POST", "/internal/agents/heartbeat", "{\"agentId\":\"battery-none\"}"),
        new JsonEndpoint(Server.MASTER, "POST", "/internal/agents/register", "{\"hostname\":\"battery\"}"),
        new JsonEndpoint(Server.MASTER, "POST", "/internal/agents/update", "{\"agentId\":\"battery-none\"}"),
        new JsonEndpoint(Server.MASTER, "POST", "/internal/agents/updates",
            "{\"agentId\":\"battery-none\",\"updates\":[{\"frameworkId\":\"battery-none\"}]}"),
        new JsonEndpoint(Server.AGENT, "POST", "/internal/tasks/launches", "{\"launches\":[]}"),
        new JsonEndpoint(Server.AGENT, "POST", "/internal/tasks/acknowledge", "{\"taskId\":\"battery-none\",\"uuid\":\"u\"}"),
        new JsonEndpoint(Server.AGENT, "POST", "/internal/tasks/acknowledgements", "{\"acknowledgements\":[]}"),
        new JsonEndpoint(Server.AGENT, "POST", "/internal/tasks/kill", "{\"frameworkId\":\"battery-none\",\"taskId\":\"t\"}"),
        new JsonEndpoint(Server.AGENT, "POST", "/internal/tasks/launch", "{}"),
        new JsonEndpoint(Server.SERVICES, "POST", "/v2/apps", app("/battery/new", null, null)),
        new JsonEndpoint(Server.SERVICES, "PUT", "/v2/apps", "[" + app("/battery/new", null, null) + "]"),
        new JsonEndpoint(Server.SERVICES, "PUT", "/v2/apps//battery/new", app("/battery/new", null, null)),
        new JsonEndpoint(Server.SERVICES, "PATCH", "/v2/apps//battery/b", "{\"cpus\":0.2}"),
        new JsonEndpoint(Server.SERVICES, "POST", "/v2/groups", "{\"id\":\"/battery-g\",\"apps\":[" + app("/battery-g/x", null, null) + "]}"),
        new JsonEndpoint(Server.SERVICES, "PUT", "/v2/groups//battery-g", "{\"apps\":[" + app("/battery-g/x", null, null) + "]}"),
        new JsonEndpoint(Server.SERVICES, "POST", "/v2/groups//battery-g", "{\"apps\":[" + app("/battery-g/x", null, null) + "]}"),
        new JsonEndpoint(Server.SERVICES, "POST", "/v2/tasks/delete", "{\"ids\":[\"battery-none\"]}"),
        new JsonEndpoint(Server.JOBS, "PUT", "/v1/scheduler/iso8601", job("battery-new", null, null)),
        new JsonEndpoint(Server.JOBS, "PUT", "/v1/scheduler/dependency",
            "{\"name\":\"battery-dep\",\"command\":\"true\",\"parents\":[\"battery-parent\"],\"cpus\":0.1,\"mem\":16}"),
        new JsonEndpoint(Server.JOBS, "POST", "/v1/scheduler/iso8601", job("battery-new", null, null)),
        new JsonEndpoint(Server.JOBS, "POST", "/v1/scheduler/dependency",
            "{\"name\":\"battery-dep\",\"command\":\"true\",\"parents\":[\"battery-parent\"],\"cpus\":0.1,\"mem\":16}"));
  }

  static List<Case> all() {
    List<Case> cases = new ArrayList<>();
    for (JsonEndpoint e : jsonEndpoints()) {
      generic(cases, e);
    }
    fields(cases);
    paths(cases);
    cycles(cases);
    return cases;
  }

  /** Every way to spoil a body that does not depend on its fields. */
  private static void generic(List<Case> cases, JsonEndpoint e) {
    Function<String, byte[]> utf8 = s -> s.getBytes(StandardCharsets.UTF_8);
    String good = e.good();
    String open = good.startsWith("[") ? good.substring(1, good.length() - 1) : good;
    String wrap = good.startsWith("[") ? "[%s]" : "%s";
    cases.add(new Case("empty body", e.server(), e.method(), e.target(), new byte[0], null));
    cases.add(new Case("cut short", e.server(), e.method(), e.target(), utf8.apply(good.substring(0, good.length() / 2)), null));
    cases.add(new Case("trailing garbage", e.server(), e.method(), e.target(), utf8.apply(good + " {\"more\":1} garbage"), null));
    cases.add(new Case("wrong type", e.server(), e.method(), e.target(), utf8.apply(good.startsWith("[") ? "{\"id\":1}" : "[\"a\",1]"), null));
    cases.add(new Case("60k deep", e.server(), e.method(), e.target(),
        utf8.apply("{\"x\":".repeat(60_000) + "1" + "}".repeat(60_000)), null));
    cases.add(new Case("over 1 MiB", e.server(), e.method(), e.target(),
        utf8.apply(String.format(wrap, open.substring(0, open.length() - 1) + ",\"pad\":\"" + "p".repeat(1_100_000) + "\"}")), null));
    cases.add(new Case("unknown field with a 300k name", e.server(), e.method(), e.target(),
        utf8.apply(String.format(wrap, open.substring(0, open.length() - 1) + ",\"" + HUGE + "\":1}")), null));
    byte[] notUtf8 = utf8.apply(String.format(wrap, open.substring(0, open.length() - 1) + ",\"bad\":\"XX\"}"));
    int at = new String(notUtf8, StandardCharsets.ISO_8859_1).lastIndexOf("XX");
    notUtf8[at] = (byte) 0xC3;
    notUtf8[at + 1] = (byte) 0x28;
    cases.add(new Case("not UTF-8", e.server(), e.method(), e.target(), notUtf8, null));
    // Java's HttpClient asks to upgrade to HTTP/2 in clear text on every POST by default.
    cases.add(new Case("asking to upgrade to h2c", e.server(), e.method(), e.target(), utf8.apply(good.substring(0, good.length() / 2)),
        null, "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"));
  }

  /** Absurd values in named fields: the answer names the field. */
  private static void fields(List<Case> cases) {
    for (String n : NUMBERS) {
      for (String f : List.of("cpus", "mem", "instances")) {
        cases.add(json("app " + f + " " + n, Server.SERVICES, "POST", "/v2/apps", app("/battery/n", f, n), f));
      }
      for (String f : List.of("cpus", "mem", "disk", "retries")) {
        cases.add(json("job " + f + " " + n, Server.JOBS, "POST", "/v1/scheduler/iso8601", job("battery-n", f, n), f));
      }
      cases.add(json("role weight " + n, Server.MASTER, "PUT", "/api/v1/roles/battery-role", "{\"weight\":" + n + "}", "weight"));
    }
    cases.add(json("app id of 300k", Server.SERVICES, "POST", "/v2/apps", app("/" + HUGE, null, null), "id"));
    cases.add(json("app id of 300k in a batch", Server.SERVICES, "PUT", "/v2/apps", "[" + app("/" + HUGE, null, null) + "]", "id"));
    cases.add(json("app cmd of 300k", Server.SERVICES, "POST", "/v2/apps", app("/battery/n", "cmd", "\"" + HUGE + "\""), null));
    cases.add(json("app id with ..", Server.SERVICES, "POST", "/v2/apps", app("/battery/../../etc", null, null), "id"));
    cases.add(json("app of 50k unknown fields", Server.SERVICES, "POST", "/v2/apps", unknownFields(app("/battery/n", null, null)), null));
    cases.add(json("job name of 300k", Server.JOBS, "POST", "/v1/scheduler/iso8601", job(HUGE, null, null), "name"));
    cases.add(json("job of 50k unknown fields", Server.JOBS, "POST", "/v1/scheduler/iso8601", unknownFields(job("battery-n", null, null)), null));
    for (String schedule : List.of("R-1//PT1H", "R/2099-01-01T00:00:00Z/PT0S", "R/not-a-date/P1D", "R/2099-01-01T00:00:00Z/P1e400D", "")) {
      cases.add(json("job schedule '" + schedule + "'", Server.JOBS, "POST", "/v1/scheduler/iso8601",
          job("battery-n", "schedule", "\"" + schedule + "\"").replaceFirst("\"schedule\":\"R/2099-01-01T00:00:00Z/P1D\",", ""), "schedule"));
    }
    for (String schedule : List.of("R5/2099-13-01T00:00:00Z/P1D", "R/2099-01-01T00:00:00Z/P99999999999999Y",
        "R99999999999999999999/2099-01-01T00:00:00Z/P1D", "R/2099-01-01T00:00:00Z/PT0.000001S", "R/" + HUGE + "/P1D",
        "R/2099-01-01T00:00:00+99:00/P1D", "R/2099-01-01T00:00:00Z/P1D/P1D")) {
      cases.add(json("job schedule '" + (schedule.length() > 50 ? schedule.substring(0, 50) : schedule) + "'", Server.JOBS,
          "POST", "/v1/scheduler/iso8601", job("battery-n", "schedule", "\"" + schedule + "\"")
              .replaceFirst("\"schedule\":\"R/2099-01-01T00:00:00Z/P1D\",", ""), "schedule"));
    }
    cases.add(cronJob("\"\"", "schedule"));
    for (String cron : List.of("99 * * * *", "* * * * * * * *", "0 0 31 2 *", "*/0 * * * *", "@every 1s", "1-99999999999 * * * *",
        "0 0 * * 8", "L W # ? *")) {
      cases.add(cronJob("\"" + cron + "\"", "cron"));
    }
    cases.add(cronJob("[1,2]", "cron"));
    cases.add(jobField("cron", "\"* * * * *\"", "cron")); // beside a schedule
    cases.add(jobField("missedRunPolicy", "\"SOMETIMES\"", "missedRunPolicy"));
    cases.add(jobField("scheduleTimeZone", "\"Mars/Olympus\"", "scheduleTimeZone"));
    cases.add(json("job name of wrong type", Server.JOBS, "POST", "/v1/scheduler/iso8601", job("battery-n", null, null)
        .replace("\"name\":\"battery-n\"", "\"name\":{\"a\":1}"), "name"));
    cases.add(json("job parents of wrong type", Server.JOBS, "POST", "/v1/scheduler/dependency",
        "{\"name\":\"battery-dep\",\"command\":\"true\",\"parents\":\"battery-parent\",\"cpus\":0.1,\"mem\":16}", "parents"));
    cases.add(json("job of no parent", Server.JOBS, "POST", "/v1/scheduler/dependency",
        "{\"name\":\"battery-dep\",\"command\":\"true\",\"parents\":[\"battery-none\"],\"cpus\":0.1,\"mem\":16}", "battery-none"));
    cases.add(json("job of empty parents", Server.JOBS, "POST", "/v1/scheduler/dependency",
        "{\"name\":\"battery-dep\",\"command\":\"true\",\"parents\":[],\"cpus\":0.1,\"mem\":16}", "parents"));
    for (String v : List.of("0", "\"abc\"", "true", "[1]", "{}")) {
      cases.add(json("role weight " + v, Server.MASTER, "PUT", "/api/v1/roles/battery-role", "{\"weight\":" + v + "}", "weight"));
    }
    for (String q : List.of("cpus:-1", "cpus:NaN", "cpus", "mem:1;;cpus:x", "cpus:1;cpus:2", "gpus:" + "9".repeat(400))) {
      cases.add(json("role quota " + (q.length() > 30 ? q.substring(0, 30) : q), Server.MASTER, "PUT", "/api/v1/roles/battery-role",
          "{\"quota\":{\"guarantee\":\"" + q + "\"}}", "quota"));
    }
    cases.add(json("role quota of wrong type", Server.MASTER, "PUT", "/api/v1/roles/battery-role", "{\"quota\":[1]}", "quota"));
    cases.add(appField("instances", "\"three\"", "instances"));
    cases.add(appField("cpus", "{\"a\":1}", "cpus"));
    cases.add(appField("env", "[1,2]", "env"));
    cases.add(appField("constraints", "[[\"hostname\",\"NO_SUCH_OPERATOR\"]]", "constraints"));
    cases.add(appField("portDefinitions", "[{\"port\":1e400}]", "port"));
    cases.add(appField("healthChecks", "[{\"protocol\":\"COMMAND\",\"command\":{\"value\":\"true\"},\"intervalSeconds\":1e400}]", "interval"));
    cases.add(appField("dependencies", "[\"/" + HUGE + "\"]", "dependencies"));
    String subscribe = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"frameworkInfo\":{\"name\":\"battery\",\"user\":\"ops\"%s}}}";
    cases.add(json("framework name of 300k", Server.MASTER, "POST", "/api/v1/scheduler",
        String.format(subscribe, ",\"name\":\"" + HUGE.substring(0, 200_000) + "\"").replaceFirst("\"name\":\"battery\",", ""), "name"));
    cases.add(json("framework role traversal", Server.MASTER, "POST", "/api/v1/scheduler",
        String.format(subscribe, ",\"roles\":[\"../../etc\"]"), "role"));
    cases.add(json("framework id traversal", Server.MASTER, "POST", "/api/v1/scheduler",
        String.format(subscribe, ",\"id\":\"../../../tmp\""), "frameworkInfo.id"));
    cases.add(json("framework failover timeout 1e400", Server.MASTER, "POST", "/api/v1/scheduler",
        String.format(subscribe, ",\"failoverTimeoutSeconds\":1e400"), "failoverTimeout"));
    cases.add(json("framework failover timeout -1", Server.MASTER, "POST", "/api/v1/scheduler",
        String.format(subscribe, ",\"failoverTimeoutSeconds\":-1"), "failoverTimeout"));
    cases.add(json("role quota of 1e400 cpus", Server.MASTER, "PUT", "/api/v1/roles/battery-role", "{\"quota\":{\"guarantee\":\"cpus:1e400\"}}", "quota"));
  }

  /** Paths and query strings: malformed escapes, traversal, request lines over 8 KiB, absurd numbers. */
  private static void paths(List<Case> cases) {
    cases.add(get(Server.MASTER, "/api/v1/roles/%ZZ", null));
    cases.add(get(Server.MASTER, "/api/v1/state?x=" + LONG_LINE, null));
    cases.add(json("role traversal", Server.MASTER, "PUT", "/api/v1/roles/..%2F..%2Fetc", "{\"weight\":1}", null));
    cases.add(json("role of 300 characters", Server.MASTER, "PUT", "/api/v1/roles/" + "r".repeat(300), "{\"weight\":1}", "role"));
    cases.add(get(Server.AGENT, "/files/read?framework=f&task=%ZZ", null));
    cases.add(get(Server.AGENT, "/files/read?framework=f&task=t%", null));
    cases.add(get(Server.AGENT, "/files/re%ZZad", null));
    cases.add(get(Server.AGENT, "/files/read?framework=..%2F..%2F..&task=..%2F..%2Fetc&file=passwd", "framework"));
    cases.add(get(Server.AGENT, "/files/read?framework=f&task=..%2F..%2Fother%2Fsandbox&file=stdout", "task"));
    cases.add(get(Server.AGENT, "/files/read?framework=f&task=t&file=..%2F..%2F..%2F..%2Fetc%2Fpasswd", null));
    cases.add(get(Server.AGENT, "/files/read?framework=f&task=t&offset=1e400", "offset"));
    cases.add(get(Server.AGENT, "/files/read?framework=f&task=t&length=-1", "length"));
    cases.add(get(Server.AGENT, "/files/read?framework=f&task=t&length=99999999999999999999", "length"));
    cases.add(get(Server.AGENT, "/files/read?framework=f&task=" + LONG_LINE, null));
    cases.add(get(Server.SERVICES, "/v2/apps/%ZZ", null));
    cases.add(get(Server.SERVICES, "/v2/apps?embed=%", null));
    cases.add(get(Server.SERVICES, "/v2/apps/" + LONG_LINE, null));
    cases.add(get(Server.SERVICES, "/v2/queue?embed=%ZZ", null));
    cases.add(new Case("delay of no app", Server.SERVICES, "DELETE", "/v2/queue//battery/none/delay", new byte[0], null));
    cases.add(json("app traversal", Server.SERVICES, "PUT", "/v2/apps/..%2F..%2Fetc", app("/etc", null, null), null));
    cases.add(json("app of a 7k path", Server.SERVICES, "PUT", "/v2/apps/" + "a".repeat(7000), app("/" + "a".repeat(7000), null, null), "id"));
    cases.add(json("patch absurd instances", Server.SERVICES, "PATCH", "/v2/apps//battery/b", "{\"instances\":1e400}", "instances"));
    cases.add(get(Server.JOBS, "/v1/scheduler/job/%ZZ/history", null));
    cases.add(get(Server.JOBS, "/v1/scheduler/job/" + LONG_LINE + "/history", null));
    cases.add(get(Server.JOBS, "/v1/scheduler/job/..%2F..%2Fetc/history", null));
    cases.add(new Case("start of no job", Server.JOBS, "PUT", "/v1/scheduler/job/battery-none", new byte[0], null));
    cases.add(new Case("start a traversal", Server.JOBS, "PUT", "/v1/scheduler/job/..%2F..%2Fetc", new byte[0], null));
    cases.add(new Case("success of no job", Server.JOBS, "POST", "/v1/scheduler/job/success/battery-none", new byte[0], null));
    cases.add(new Case("kill tasks of no job", Server.JOBS, "DELETE", "/v1/scheduler/task/kill/battery-none", new byte[0], null));
    cases.add(new Case("restart no app", Server.SERVICES, "POST", "/v2/apps//battery/none/restart", new byte[0], null));
    cases.add(new Case("delete no app", Server.SERVICES, "DELETE", "/v2/apps//battery/none", new byte[0], null));
    cases.add(new Case("delete no job", Server.JOBS, "DELETE", "/v1/scheduler/job/%ZZ", new byte[0], null));
  }

  /** Dependency cycles, between apps (separate calls and one group) and between jobs; duplicates. */
  private static void cycles(List<Case> cases) {
    cases.add(json("app that exists", Server.SERVICES, "POST", "/v2/apps", app("/battery/b", null, null), "/battery/b"));
    cases.add(json("same app twice in a batch", Server.SERVICES, "PUT", "/v2/apps",
        "[" + app("/battery/twice", null, null) + "," + app("/battery/twice", null, null) + "]", "/battery/twice"));
    cases.add(json("same app twice in a group", Server.SERVICES, "POST", "/v2/groups", "{\"id\":\"/battery-d\",\"apps\":["
        + app("/battery-d/x", null, null) + "," + app("/battery-d/x", null, null) + "]}", "/battery-d/x"));
    cases.add(json("same group twice in a group", Server.SERVICES, "POST", "/v2/groups", "{\"id\":\"/battery-e\",\"groups\":["
        + "{\"id\":\"/battery-e/g\",\"apps\":[" + app("/battery-e/g/x", null, null) + "]},"
        + "{\"id\":\"/battery-e/g\",\"apps\":[" + app("/battery-e/g/y", null, null) + "]}]}", "/battery-e/g"));
    cases.add(json("app outside its group", Server.SERVICES, "POST", "/v2/groups", "{\"id\":\"/battery-f\",\"apps\":["
        + app("/elsewhere/x", null, null) + "]}", "/elsewhere/x"));
    cases.add(json("app as deep as 1000 groups", Server.SERVICES, "POST", "/v2/apps", app("/battery" + "/d".repeat(1000), null, null), "id"));
    cases.add(json("group nested 5000 deep", Server.SERVICES, "POST", "/v2/groups",
        "{\"id\":\"/battery-h\",\"groups\":[".repeat(5000) + "]}".repeat(5000), null));
    cases.add(json("same parent twice", Server.JOBS, "POST", "/v1/scheduler/dependency",
        "{\"name\":\"battery-dep\",\"command\":\"true\",\"parents\":[\"battery-parent\",\"battery-parent\"],\"cpus\":0.1,\"mem\":16}",
        "parents"));
    cases.add(json("duplicate key", Server.SERVICES, "POST", "/v2/apps",
        app("/battery/dupkey", "id", "\"/battery/other\""), "id"));

    cases.add(json("app cycle through a stored app", Server.SERVICES, "PUT", "/v2/apps//battery/b",
        app("/battery/b", "dependencies", "[\"/battery/a\"]"), "/battery/a"));
    cases.add(json("app depending on itself", Server.SERVICES, "POST", "/v2/apps",
        app("/battery/self", "dependencies", "[\"/battery/self\"]"), "/battery/self"));
    cases.add(json("app cycle in one group", Server.SERVICES, "POST", "/v2/groups", "{\"id\":\"/battery-c\",\"apps\":["
        + app("/battery-c/x", "dependencies", "[\"/battery-c/y\"]") + ","
        + app("/battery-c/y", "dependencies", "[\"/battery-c/x\"]") + "]}", "/battery-c/"));
    cases.add(json("job cycle through a stored job", Server.JOBS, "POST", "/v1/scheduler/dependency",
        "{\"name\":\"battery-parent\",\"command\":\"true\",\"parents\":[\"battery-child\"],\"cpus\":0.1,\"mem\":16}", "battery-child"));
    cases.add(json("job its own parent", Server.JOBS, "POST", "/v1/scheduler/dependency",
        "{\"name\":\"battery-selfish\",\"command\":\"true\",\"parents\":[\"battery-selfish\"],\"cpus\":0.1,\"mem\":16}", "battery-selfish"));
  }

  /** A good app but for one field. */
  private static Case appField(String field, String value, String mustName) {
    return json("app " + field + " " + shortened(value), Server.SERVICES, "POST", "/v2/apps", app("/battery/n", field, value), mustName);
  }

  /** A good job but for one field. */
  private static Case jobField(String field, String value, String mustName) {
    return json("job " + field + " " + shortened(value), Server.JOBS, "POST", "/v1/scheduler/iso8601", job("battery-n", field, value),
        mustName);
  }

  /** A job scheduled by {@code cron} alone. */
  private static Case cronJob(String cron, String mustName) {
    return json("job cron " + shortened(cron), Server.JOBS, "POST", "/v1/scheduler/iso8601",
        job("battery-n", "cron", cron).replaceFirst("\"schedule\":\"R/2099-01-01T00:00:00Z/P1D\",", ""), mustName);
  }

  private static String shortened(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "..." : value;
  }

  private static String unknownFields(String json) {
    StringBuilder b = new StringBuilder(json.substring(0, json.length() - 1));
    for (int i = 0; i < 50_000; i++) {
      b.append(",\"u").append(i).append("\":1");
    }
    return b.append('}').toString();
  }

  private static Case json(String name, Server server, String method, String target, String body, String mustName) {
    return new Case(name, server, method, target, body.getBytes(StandardCharsets.UTF_8), mustName);
  }

  private static Case get(Server server, String target, String mustName) {
    return new Case("odd path or query", server, "GET", target, new byte[0], mustName);
  }
}
