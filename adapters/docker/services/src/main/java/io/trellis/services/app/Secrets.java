package io.trellis.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.api.ErrorBody.FieldError;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Secret environment values in Marathon's form: {@code "secrets": {"db": {"value": "..."}}}
 * holds the values (Trellis keeps them with the app; Marathon's {@code source} names a secret
 * store Trellis does not have) and {@code "env": {"DB_PASSWORD": {"secret": "db"}}} passes one to
 * the tasks. Read into {@link AppDefinition#secretEnv()} and {@link AppDefinition#secrets()}; shown
 * as references and names only.
 */
final class Secrets {
  /** The longest secret value kept. */
  static final int MAX_VALUE = 64 * 1024;

  private Secrets() {}

  /**
   * Takes the secrets and the secret references out of {@code app} (so that the rest is checked
   * as plain strings) and puts them back as {@code secretEnv} and {@code secrets} maps of strings,
   * the form {@link AppDefinition} reads; every problem is added to {@code errors}.
   */
  static void read(ObjectNode app, List<FieldError> errors) {
    Map<String, String> values = new TreeMap<>();
    JsonNode secrets = app.remove("secrets");
    if (secrets != null && !secrets.isNull()) {
      if (!secrets.isObject()) {
        errors.add(new FieldError("$.secrets", "must be an object of secrets by name"));
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = secrets.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String at = "$.secrets." + e.getKey();
          JsonNode value = e.getValue().path("value");
          if (e.getKey().isBlank()) {
            errors.add(new FieldError("$.secrets", "a secret needs a name"));
          } else if (!value.isTextual()) {
            errors.add(new FieldError(at + ".value", e.getValue().has("source")
                ? "Trellis keeps a secret's value with the app: give \"value\" (there is no secret store for \"source\")"
                : "is required: the secret's value as a string"));
          } else if (value.asText().length() > MAX_VALUE) {
            errors.add(new FieldError(at + ".value", "is longer than " + MAX_VALUE + " characters"));
          } else {
            values.put(e.getKey(), value.asText());
          }
        }
      }
    }
    Map<String, String> refs = new TreeMap<>();
    if (app.get("env") instanceof ObjectNode env) {
      for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isObject()) {
          continue;
        }
        String at = "$.env." + e.getKey() + ".secret";
        JsonNode name = e.getValue().path("secret");
        if (!name.isTextual()) {
          errors.add(new FieldError(at, "an environment value is a string or {\"secret\": \"<name in $.secrets>\"}"));
        } else if (!values.containsKey(name.asText()) && (secrets == null || !secrets.has(name.asText()))) {
          errors.add(new FieldError(at, "no secret named '" + name.asText() + "' in $.secrets"));
        } else {
          refs.put(e.getKey(), name.asText());
        }
        it.remove();
      }
    }
    ObjectNode secretEnv = app.putObject("secretEnv");
    refs.forEach(secretEnv::put);
    ObjectNode kept = app.putObject("secrets");
    values.forEach(kept::put);
  }

  /**
   * Shows the app's secrets in {@code node} the way the API writes them: references in {@code
   * env}, and under {@code secrets} each name, with its value only when {@code withValues} (a
   * definition read back in, never an answer).
   */
  static void show(ObjectNode node, AppDefinition app, boolean withValues) {
    node.remove("secretEnv");
    node.remove("secrets");
    if (app.secretEnv().isEmpty() && app.secrets().isEmpty()) {
      return;
    }
    ObjectNode env = node.get("env") instanceof ObjectNode e ? e : node.putObject("env");
    app.secretEnv().forEach((variable, name) -> env.putObject(variable).put("secret", name));
    ObjectNode secrets = node.putObject("secrets");
    app.secrets().forEach((name, value) -> {
      ObjectNode s = secrets.putObject(name);
      if (withValues) {
        s.put("value", value);
      }
    });
  }
}
