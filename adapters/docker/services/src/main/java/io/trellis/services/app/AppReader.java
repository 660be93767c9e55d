package io.trellis.services.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.api.ErrorBody.FieldError;
import io.trellis.api.Json;
import io.trellis.services.ServiceException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads app definitions in the {@code /v2/apps} JSON format: unparsable text is a 400, values of
 * the wrong type and invalid values a 422 listing every bad field by JSON path, and fields
 * Trellis ignores come back as warnings.
 */
public final class AppReader {
  public static final int MAX_BODY = 1024 * 1024;
  private static final ObjectMapper MAPPER = Json.create();

  private AppReader() {}

  /** The JSON tree of a request body. */
  public static JsonNode tree(String text) {
    if (text == null || text.isBlank()) {
      throw new ServiceException(400, "the request body is empty: send a JSON app definition");
    }
    if (text.length() > MAX_BODY) {
      throw new ServiceException(413, "the request body exceeds " + MAX_BODY + " bytes");
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ServiceException(400, "unparsable JSON: " + Json.describe(e));
    }
  }

  public static ParsedApp read(String text) {
    return read(tree(text), null);
  }

  /**
   * Reads one app. {@code pathId}, when the id comes from the URL, is used if the body has none
   * and must match it if it has one.
   */
  public static ParsedApp read(JsonNode node, String pathId) {
    if (node == null || !node.isObject()) {
      throw new ServiceException(422, "an app definition must be a JSON object",
          List.of(new FieldError("$", "must be an object")), Map.of());
    }
    ObjectNode app = node.deepCopy();
    List<FieldError> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (pathId != null) {
      JsonNode id = app.get("id");
      if (id == null || id.isNull()) {
        app.put("id", pathId);
      } else if (id.isTextual() && !AppId.absolute(id.asText()).equals(AppId.absolute(pathId))) {
        errors.add(new FieldError("$.id", "'" + id.asText() + "' differs from the id in the URL, '" + pathId + "'"));
      }
    }
    unreachableDisabled(app, errors);
    JsonNode secrets = app.remove("secrets");
    JsonNode env = app.get("env") == null ? null : app.get("env").deepCopy();
    if (app.get("env") instanceof ObjectNode plain) {
      plain.properties().removeIf(e -> e.getValue().isObject());
    }
    Shape.check(app, AppShape.APP, "$", errors, warnings);
    // Drop values of the wrong type so the rest can still be checked: one answer names every error.
    for (int i = errors.size() - 1; i >= 0; i--) {
      prune(app, errors.get(i).path());
    }
    if (env instanceof ObjectNode withSecrets && app.get("env") instanceof ObjectNode plain) {
      withSecrets.properties().stream().filter(e -> e.getValue().isObject())
          .forEach(e -> plain.set(e.getKey(), e.getValue()));
    }
    if (secrets != null) {
      app.set("secrets", secrets);
    }
    Secrets.read(app, errors);
    portsAlias(app, warnings);
    networks(app, errors, warnings);
    if (app.path("container").path("forcePullImage").isBoolean() && app.path("container").path("docker").isObject()) {
      ObjectNode docker = (ObjectNode) app.path("container").path("docker");
      JsonNode force = ((ObjectNode) app.get("container")).remove("forcePullImage");
      if (!docker.has("forcePullImage")) {
        docker.set("forcePullImage", force);
      }
    }
    AppDefinition raw;
    try {
      raw = MAPPER.treeToValue(app, AppDefinition.class);
    } catch (JsonProcessingException e) {
      String problem = Json.describe(e);
      throw new ServiceException(422, "invalid app definition: " + Json.path(e) + ": " + problem,
          List.of(new FieldError(Json.path(e), problem)), Map.of());
    }
    errors.addAll(AppValidator.validate(raw));
    if (!errors.isEmpty()) {
      throw ServiceException.invalid(errors);
    }
    return new ParsedApp(raw.withDefaults(), warnings);
  }

  /** {@code "unreachableStrategy": "disabled"} is read as {@code {"disabled": true}}. */
  private static void unreachableDisabled(ObjectNode app, List<FieldError> errors) {
    JsonNode u = app.get("unreachableStrategy");
    if (u != null && u.isTextual()) {
      if (u.asText().equals("disabled")) {
        app.putObject("unreachableStrategy").put("disabled", true);
      } else {
        errors.add(new FieldError("$.unreachableStrategy", "must be an object or \"disabled\""));
        app.remove("unreachableStrategy");
      }
    }
  }

  /**
   * The JSON of a definition as the API shows it ({@code "unreachableStrategy": "disabled"}, secrets
   * as references and names without their values).
   */
  public static ObjectNode view(AppDefinition app) {
    return tree(app, false);
  }

  private static ObjectNode tree(AppDefinition app, boolean withSecretValues) {
    ObjectNode node = MAPPER.valueToTree(app);
    if (app.unreachableStrategy() != null && !app.unreachableStrategy().enabled()) {
      node.put("unreachableStrategy", "disabled");
    }
    Secrets.show(node, app, withSecretValues);
    return node;
  }

  /** Removes the value at a path such as {@code $.container.docker.portMappings[0].hostPort}. */
  static void prune(ObjectNode root, String path) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]").matcher(path);
    List<Object> steps = new ArrayList<>();
    while (m.find()) {
      steps.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
    }
    JsonNode node = root;
    for (int i = 0; i < steps.size() - 1 && node != null; i++) {
      Object step = steps.get(i);
      node = step instanceof Integer idx ? node.get(idx) : node.get((String) step);
    }
    if (steps.isEmpty() || node == null) {
      return;
    }
    Object last = steps.get(steps.size() - 1);
    if (node instanceof ObjectNode o && last instanceof String name) {
      o.remove(name);
    } else if (node instanceof ArrayNode a && last instanceof Integer idx && idx < a.size()) {
      a.remove(idx.intValue());
    }
  }

  /**
   * The newer way to ask for a network: {@code networks: [{"mode": "container/bridge"}]} is
   * BRIDGE, {@code host} is HOST, {@code container} (a named network) is USER.
   */
  private static void networks(ObjectNode app, List<FieldError> errors, List<String> warnings) {
    JsonNode networks = app.remove("networks");
    if (networks == null || !networks.isArray() || networks.isEmpty()) {
      return;
    }
    if (networks.size() > 1) {
      warnings.add("$.networks: only the first network is used");
    }
    String mode = networks.get(0).path("mode").asText("host");
    String network = switch (mode) {
      case "host" -> "HOST";
      case "container/bridge" -> "BRIDGE";
      case "container" -> "USER";
      default -> null;
    };
    if (network == null) {
      errors.add(new FieldError("$.networks[0].mode", "must be host, container/bridge or container, not " + mode));
      return;
    }
    JsonNode container = app.get("container");
    if (container instanceof ObjectNode c && c.get("docker") instanceof ObjectNode docker) {
      if (!docker.has("network")) {
        docker.put("network", network);
      }
    } else if (!network.equals("HOST")) {
      warnings.add("$.networks: " + mode + " networking needs a DOCKER container; the app uses the host network");
    }
  }

  /** The older {@code ports} list is the same as port definitions with those ports. */
  private static void portsAlias(ObjectNode app, List<String> warnings) {
    JsonNode ports = app.remove("ports");
    if (ports == null || ports.isNull()) {
      return;
    }
    if (app.has("portDefinitions")) {
      warnings.add("$.ports is ignored: $.portDefinitions is given");
      return;
    }
    ArrayNode defs = app.putArray("portDefinitions");
    for (JsonNode p : ports) {
      defs.addObject().put("port", p.asInt());
    }
  }

  /** A JSON merge of {@code patch} onto {@code base}: objects merge, other values replace. */
  public static JsonNode merge(JsonNode base, JsonNode patch) {
    if (!(base instanceof ObjectNode b) || !patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out = b.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode old = out.get(e.getKey());
      if (old != null && old.isObject() && e.getValue().isObject()) {
        out.set(e.getKey(), merge(old, e.getValue()));
      } else {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }

  /**
   * The JSON tree of a stored definition, without its version fields, secrets' values included:
   * what a partial update merges onto, never an answer.
   */
  public static ObjectNode toTree(AppDefinition app) {
    ObjectNode node = tree(app, true);
    node.remove("version");
    node.remove("versionInfo");
    return node;
  }
}
