package io.trellis.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.api.ErrorBody.FieldError;
import io.trellis.services.ServiceException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a group definition ({@code {"id": "/prod", "apps": [...], "groups": [...]}}) into the
 * apps it holds, with absolute ids: an app or group id without a leading slash is relative to
 * its enclosing group. Every invalid field of every app is named by its JSON path
 * ({@code $.groups[0].apps[1].cpus}); fields Trellis does not support become warnings.
 */
public final class GroupReader {
  private static final Set<String> KNOWN = Set.of("id", "apps", "groups", "version", "scaleBy");
  /** Marks a subgroup's entry in the map of paths while walking (app ids never hold a space). */
  private static final String GROUP = "group ";
  private static final Set<String> IGNORED = Set.of("dependencies", "enforceRole", "pods");

  private GroupReader() {}

  /**
   * A group's apps, or a scaling of all of them.
   *
   * @param scaleBy the factor every app's instances are multiplied by, or null
   */
  public record Group(String id, List<ParsedApp> apps, List<String> warnings, Double scaleBy,
      Map<String, String> paths) {
    public Group {
      apps = List.copyOf(apps);
      warnings = List.copyOf(warnings);
      paths = Map.copyOf(paths);
    }
  }

  /**
   * Reads {@code text}; {@code pathId}, when the id comes from the URL, is used if the body has
   * none and must match it if it has one.
   */
  public static Group read(String text, String pathId) {
    JsonNode node = AppReader.tree(text);
    if (node == null || !node.isObject()) {
      throw new ServiceException(422, "a group definition must be a JSON object",
          List.of(new FieldError("$", "must be an object")), Map.of());
    }
    List<FieldError> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String id = groupId(node, pathId, errors);
    Double scaleBy = null;
    if (node.has("scaleBy")) {
      JsonNode s = node.get("scaleBy");
      if (!s.isNumber() || !(s.asDouble() > 0) || s.asDouble() > Limits.MAX_INSTANCES) {
        errors.add(new FieldError("$.scaleBy", "must be a number above 0 and at most " + Limits.MAX_INSTANCES
            + ", not " + (s.isNumber() ? String.valueOf(s.asDouble()) : s.getNodeType().name().toLowerCase())));
      } else {
        scaleBy = s.asDouble();
      }
    }
    List<ParsedApp> apps = new ArrayList<>();
    Map<String, String> paths = new java.util.HashMap<>();
    if (id != null) {
      walk(node, id, "$", apps, paths, errors, warnings);
    }
    Set<String> seen = new HashSet<>();
    for (ParsedApp a : apps) {
      if (!seen.add(a.app().id())) {
        errors.add(new FieldError("$", "app '" + a.app().id() + "' is defined twice"));
      }
    }
    for (Map.Entry<String, String> g : paths.entrySet()) {
      if (g.getKey().startsWith(GROUP)) {
        String groupId = g.getKey().substring(GROUP.length());
        if (seen.contains(groupId)) {
          errors.add(new FieldError(g.getValue() + ".id", "'" + groupId + "' is both an app and a group"));
        }
      }
    }
    paths.keySet().removeIf(k -> k.startsWith(GROUP));
    if (!errors.isEmpty()) {
      throw new ServiceException(422, "invalid group definition: " + errors.size()
          + (errors.size() == 1 ? " error" : " errors") + " (see details)", errors, Map.of());
    }
    return new Group(id, apps, warnings, scaleBy, paths);
  }

  private static String groupId(JsonNode node, String pathId, List<FieldError> errors) {
    JsonNode raw = node.get("id");
    if (raw != null && !raw.isNull() && !raw.isTextual()) {
      errors.add(new FieldError("$.id", "must be a string"));
      return null;
    }
    String id = raw == null || raw.isNull() ? pathId : raw.asText();
    if (id == null) {
      errors.add(new FieldError("$.id", "is required"));
      return null;
    }
    if (pathId != null && !AppId.absolute(id).equals(AppId.absolute(pathId))) {
      errors.add(new FieldError("$.id", "'" + id + "' differs from the id in the URL, '" + pathId + "'"));
      return null;
    }
    String abs = AppId.absolute(id);
    String problem = abs.equals("/") ? null : AppId.problem(abs);
    if (problem != null) {
      errors.add(new FieldError("$.id", problem));
      return null;
    }
    return abs;
  }

  private static void walk(JsonNode group, String groupId, String path, List<ParsedApp> apps,
      Map<String, String> paths, List<FieldError> errors, List<String> warnings) {
    for (Iterator<String> names = group.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (IGNORED.contains(name) && !isEmpty(group.get(name))) {
        warnings.add(path + "." + name + " is not supported by Trellis and is ignored");
      } else if (!KNOWN.contains(name) && !IGNORED.contains(name)) {
        warnings.add(path + "." + name + " is not a known field and is ignored");
      }
    }
    JsonNode list = group.path("apps");
    if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
      errors.add(new FieldError(path + ".apps", "must be an array"));
    }
    for (int i = 0; i < list.size() && list.isArray(); i++) {
      String at = path + ".apps[" + i + "]";
      JsonNode app = list.get(i);
      if (!app.isObject()) {
        errors.add(new FieldError(at, "must be an object"));
        continue;
      }
      ObjectNode copy = app.deepCopy();
      JsonNode appId = copy.get("id");
      if (appId == null || !appId.isTextual() || appId.asText().isBlank()) {
        errors.add(new FieldError(at + ".id", "is required"));
        continue;
      }
      String abs = insideGroup(groupId, appId.asText(), at, errors);
      if (abs == null) {
        continue;
      }
      copy.put("id", abs);
      try {
        ParsedApp parsed = AppReader.read(copy, null);
        apps.add(parsed);
        paths.putIfAbsent(parsed.app().id(), at);
        parsed.warnings().forEach(w -> warnings.add(at + w.substring(w.startsWith("$") ? 1 : 0)));
      } catch (ServiceException e) {
        for (FieldError f : e.errors()) {
          errors.add(new FieldError(at + f.path().substring(f.path().startsWith("$") ? 1 : 0),
              f.message()));
        }
      }
    }
    JsonNode groups = group.path("groups");
    if (!groups.isMissingNode() && !groups.isNull() && !groups.isArray()) {
      errors.add(new FieldError(path + ".groups", "must be an array"));
    }
    for (int i = 0; i < groups.size() && groups.isArray(); i++) {
      String at = path + ".groups[" + i + "]";
      JsonNode sub = groups.get(i);
      JsonNode subId = sub.path("id");
      if (!sub.isObject() || !subId.isTextual()) {
        errors.add(new FieldError(at + ".id", "is required"));
        continue;
      }
      String abs = insideGroup(groupId, subId.asText(), at, errors);
      if (abs != null && paths.putIfAbsent(GROUP + abs, at) != null) {
        // Two definitions of one group: which apps it holds would depend on their order.
        errors.add(new FieldError(at + ".id", "group '" + abs + "' is defined twice (also at "
            + paths.get(GROUP + abs) + ")"));
      } else if (abs != null) {
        walk(sub, abs, at, apps, paths, errors, warnings);
      }
    }
  }

  /**
   * The absolute id of an app or subgroup of {@code groupId} (absolute as given, relative to the
   * group otherwise), or null after adding why it is invalid or outside the group to
   * {@code errors} at {@code at.id}.
   */
  private static String insideGroup(String groupId, String id, String at, List<FieldError> errors) {
    String abs = id.startsWith("/") ? AppId.absolute(id)
        : AppId.absolute((groupId.equals("/") ? "" : groupId) + "/" + id);
    String problem = AppId.problem(abs);
    if (problem == null && !abs.startsWith(groupId.equals("/") ? "/" : groupId + "/")) {
      problem = "'" + abs + "' is not inside the group " + groupId;
    }
    if (problem != null) {
      errors.add(new FieldError(at + ".id", problem));
      return null;
    }
    return abs;
  }

  private static boolean isEmpty(JsonNode n) {
    return n == null || n.isNull() || (n.isContainerNode() && n.size() == 0);
  }
}
