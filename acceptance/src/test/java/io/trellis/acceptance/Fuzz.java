package io.trellis.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.acceptance.BadInputs.Server;
import io.trellis.api.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random and mutated documents for every API that takes one: valid apps, groups, jobs,
 * scheduler calls and role settings, each spoiled by a few random edits of its tree (a value
 * replaced by one of another type or an absurd one, a field dropped or added, an array emptied
 * or doubled) and sometimes of its text (cut short, a byte changed, a number made 1e400, a key
 * repeated, nested deep); one in ten is a random document. The same seed gives the same inputs.
 */
final class Fuzz {
  /** Where a document goes and the text sent. */
  record Input(Server server, String method, String target, byte[] body, String kind) {}

  private record Target(Server server, String method, String path, String valid) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String HUGE = "z".repeat(300_000);

  private final Random random;
  private final List<Target> targets;

  Fuzz(long seed) {
    this.random = new Random(seed);
    this.targets = List.of(
        new Target(Server.SERVICES, "POST", "/v2/apps", "{\"id\":\"/fuzz/app\",\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,"
            + "\"instances\":0,\"env\":{\"A\":\"b\"},\"constraints\":[[\"hostname\",\"UNIQUE\"]],\"labels\":{\"l\":\"v\"},"
            + "\"portDefinitions\":[{\"port\":0,\"protocol\":\"tcp\"}],\"healthChecks\":[{\"protocol\":\"COMMAND\","
            + "\"command\":{\"value\":\"true\"},\"intervalSeconds\":10}],\"upgradeStrategy\":{\"minimumHealthCapacity\":0.5,"
            + "\"maximumOverCapacity\":0.5},\"dependencies\":[],\"backoffSeconds\":1}"),
        new Target(Server.SERVICES, "POST", "/v2/groups", "{\"id\":\"/fuzz-g\",\"apps\":[{\"id\":\"a\",\"cmd\":\"sleep 600\","
            + "\"cpus\":0.1,\"mem\":16,\"instances\":0},{\"id\":\"b\",\"cmd\":\"sleep 600\",\"cpus\":0.1,\"mem\":16,\"instances\":0,"
            + "\"dependencies\":[\"/fuzz-g/a\"]}],\"groups\":[{\"id\":\"sub\",\"apps\":[{\"id\":\"c\",\"cmd\":\"sleep 600\","
            + "\"cpus\":0.1,\"mem\":16,\"instances\":0}]}]}"),
        new Target(Server.JOBS, "POST", "/v1/scheduler/iso8601", "{\"name\":\"fuzz-job\",\"command\":\"true\","
            + "\"schedule\":\"R/2099-01-01T00:00:00Z/P1D\",\"scheduleTimeZone\":\"UTC\",\"cpus\":0.1,\"mem\":16,\"disk\":1,"
            + "\"retries\":2,\"owner\":\"ops@example.com\",\"concurrencyPolicy\":\"FORBID\",\"missedRunPolicy\":\"RUN_ONCE\","
            + "\"environmentVariables\":[{\"name\":\"A\",\"value\":\"b\"}],\"constraints\":[[\"hostname\",\"LIKE\",\".*\"]]}"),
        new Target(Server.JOBS, "POST", "/v1/scheduler/iso8601", "{\"name\":\"fuzz-cron\",\"command\":\"true\","
            + "\"cron\":\"0 3 1 1 *\",\"cpus\":0.1,\"mem\":16}"),
        new Target(Server.JOBS, "POST", "/v1/scheduler/dependency", "{\"name\":\"fuzz-dep\",\"command\":\"true\","
            + "\"parents\":[\"battery-parent\"],\"cpus\":0.1,\"mem\":16}"),
        new Target(Server.MASTER, "PUT", "/api/v1/roles/fuzz-role", "{\"weight\":2,\"quota\":{\"guarantee\":\"cpus:1;mem:64\","
            + "\"limit\":\"cpus:2;mem:128\"},\"preemptible\":true}"),
        // No SUBSCRIBE: one that passes opens an endless event stream.
        new Target(Server.MASTER, "POST", "/api/v1/scheduler", "{\"type\":\"RECONCILE\",\"frameworkId\":\"fuzz-none\","
            + "\"reconcile\":{\"tasks\":[{\"taskId\":\"t\",\"agentId\":\"a\"}]}}"),
        new Target(Server.MASTER, "POST", "/api/v1/scheduler", "{\"type\":\"ACCEPT\",\"frameworkId\":\"fuzz-none\","
            + "\"accept\":{\"offerIds\":[\"o-1\"],\"launch\":[{\"taskId\":\"t\",\"name\":\"t\",\"resources\":\"cpus:0.1;mem:16\","
            + "\"command\":{\"value\":\"true\"}}],\"filters\":{\"refuseSeconds\":5}}}"),
        new Target(Server.MASTER, "POST", "/internal/agents/register", "{\"agentId\":\"fuzz-agent\",\"hostname\":\"fuzz\","
            + "\"endpoint\":\"127.0.0.1:9\",\"resources\":\"cpus:1;mem:64;ports:[31000-31001]\",\"attributes\":{\"rack\":\"r\"},\"tasks\":[]}"),
        new Target(Server.AGENT, "POST", "/internal/tasks/launch", "{\"frameworkId\":\"fuzz-none\",\"role\":\"*\","
            + "\"task\":{\"taskId\":\"t\",\"name\":\"t\",\"resources\":\"cpus:0.1;mem:16\",\"command\":{\"value\":\"true\"}}}"));
  }

  Input next() {
    Target t = targets.get(random.nextInt(targets.size()));
    String text;
    String kind;
    if (random.nextInt(10) == 0) {
      text = Json.mapper().valueToTree(randomValue(4)).toString();
      kind = "random";
    } else {
      JsonNode tree = read(t.valid());
      int edits = 1 + random.nextInt(3);
      for (int i = 0; i < edits; i++) {
        tree = mutate(tree);
      }
      text = tree.toString();
      kind = "mutated";
      if (random.nextInt(4) == 0) {
        text = spoilText(text);
        kind = "mutated text";
      }
    }
    return new Input(t.server(), t.method(), t.path(), text.getBytes(StandardCharsets.UTF_8), kind);
  }

  private static JsonNode read(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a seed document is not JSON: " + json, e);
    }
  }

  /** One edit of a random place in the tree; the root itself may be replaced. */
  private JsonNode mutate(JsonNode root) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    if (containers.isEmpty()) {
      return randomValue(2);
    }
    JsonNode at = containers.get(random.nextInt(containers.size()));
    if (at instanceof ObjectNode o && o.size() > 0) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      String name = names.get(random.nextInt(names.size()));
      switch (random.nextInt(5)) {
        case 0 -> o.remove(name);
        case 1 -> o.set("u" + random.nextInt(1000), randomValue(2));
        default -> o.set(name, replacement(o.get(name)));
      }
    } else if (at instanceof ArrayNode a && a.size() > 0) {
      int i = random.nextInt(a.size());
      switch (random.nextInt(4)) {
        case 0 -> a.remove(i);
        case 1 -> a.add(a.get(i).deepCopy());
        default -> a.set(i, replacement(a.get(i)));
      }
    } else {
      return random.nextBoolean() ? root : randomValue(2);
    }
    return root;
  }

  private static void collect(JsonNode node, List<JsonNode> into) {
    if (node.isContainerNode()) {
      into.add(node);
      node.forEach(child -> collect(child, into));
    }
  }

  /** A value to put where {@code old} was: often absurd for its kind, sometimes of another kind. */
  private JsonNode replacement(JsonNode old) {
    if (old != null && old.isNumber() && random.nextBoolean()) {
      double[] absurd = {-1, 0, -0.0, 1e308, -1e308, Double.MIN_VALUE, 4.9e-324, 1e15, Long.MAX_VALUE, 0.5};
      return random.nextInt(4) == 0 ? NODES.numberNode(new BigInteger("9".repeat(1 + random.nextInt(390))))
          : NODES.numberNode(absurd[random.nextInt(absurd.length)]);
    }
    if (old != null && old.isTextual() && random.nextBoolean()) {
      String s = old.asText();
      String[] absurd = {"", " ", "..", "../../etc", "/", "//", "\u0000", "\u202e", "%ZZ", s + s, s.toUpperCase(),
          "*", "R/2099-01-01T00:00:00Z/PT0S", "cron: 61 * * * *", "-1", "NaN", "1e400", "cpus:1e400",
          HUGE.substring(0, random.nextBoolean() ? 300 : 300_000)};
      return NODES.textNode(absurd[random.nextInt(absurd.length)]);
    }
    return randomValue(2);
  }

  private JsonNode randomValue(int depth) {
    int kind = random.nextInt(depth > 0 ? 8 : 6);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextInt(7) - 3);
      case 3 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(600) - 300));
      case 4 -> NODES.textNode(randomText());
      case 5 -> NODES.textNode("");
      case 6 -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.add(randomValue(depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = NODES.objectNode();
        String[] names = {"id", "name", "cmd", "command", "cpus", "mem", "instances", "schedule", "parents", "type", "weight"};
        for (int i = random.nextInt(4); i > 0; i--) {
          o.set(names[random.nextInt(names.length)], randomValue(depth - 1));
        }
        yield o;
      }
    };
  }

  private String randomText() {
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(20); i > 0; i--) {
      b.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x2FFFF) : 0x20 + random.nextInt(0x5F));
    }
    return b.toString().replaceAll("[\\uD800-\\uDFFF]", "?");
  }

  /** One edit of the text: cut short, a character changed, a number made absurd, a key repeated, deep nesting. */
  private String spoilText(String text) {
    int at = random.nextInt(Math.max(1, text.length()));
    return switch (random.nextInt(6)) {
      case 0 -> text.substring(0, at);
      case 1 -> text.substring(0, at) + "\"{}[],:x\\".charAt(random.nextInt(9)) + text.substring(Math.min(text.length(), at + 1));
      case 2 -> text.replaceFirst("(?<=[:\\[,])-?\\d+(\\.\\d+)?", random.nextBoolean() ? "1e400" : "NaN");
      case 3 -> text.replaceFirst("\\{\"(\\w+)\":", "{\"$1\":1,\"$1\":");
      case 4 -> "[".repeat(60_000) + text + "]".repeat(60_000);
      default -> text + text;
    };
  }
}
