package io.trellis.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.ErrorBody.FieldError;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The expected JSON shape of a field. {@link #check} walks a document, adding an error for every
 * value of the wrong type and a warning for every field that is unknown or not supported.
 */
sealed interface Shape {
  /** The longest string value accepted (a command, an environment value, a label). */
  int MAX_STRING = 64 * 1024;
  /** The most elements of an array or entries of an object with free keys. */
  int MAX_ENTRIES = 1000;
  /** The longest key of an object with free keys (an environment variable's name, a label). */
  int MAX_KEY = 256;
  /** Warnings beyond this many are not listed (a body of a thousand unknown fields). */
  int MAX_WARNINGS = 100;

  Shape STRING = new Scalar("a string");
  Shape NUMBER = new Scalar("a number");
  Shape INTEGER = new Scalar("an integer");
  Shape BOOLEAN = new Scalar("a boolean");
  Shape ANY = new Scalar("anything");

  record Scalar(String what) implements Shape {}

  record ArrayOf(Shape element) implements Shape {}

  /** An object whose values all have one shape (env, labels). */
  record MapOf(Shape value) implements Shape {}

  /**
   * An object with known fields. {@code unsupported} fields are accepted and named in a warning;
   * {@code ignored} ones (read-only fields sent back by clients) pass silently.
   */
  record Obj(Map<String, Shape> fields, Set<String> unsupported, Set<String> ignored) implements Shape {}

  static void check(JsonNode node, Shape shape, String path, List<FieldError> errors, List<String> warnings) {
    if (node == null || node.isNull()) {
      return;
    }
    if (shape instanceof Scalar s) {
        boolean ok = switch (s.what()) {
          case "a string" -> node.isTextual();
          case "a number" -> node.isNumber();
          case "an integer" -> node.isIntegralNumber() || (node.isNumber() && node.asDouble() == Math.rint(node.asDouble()));
          case "a boolean" -> node.isBoolean();
          default -> true;
        };
        if (!ok) {
          errors.add(new FieldError(path, "must be " + s.what() + ", not " + describe(node)));
        } else if (node.isNumber() && !Double.isFinite(node.asDouble())) {
          errors.add(new FieldError(path, "must be a finite number, not " + node.asDouble()
              + " (too large for a double)"));
        } else if (s == INTEGER && !node.canConvertToInt()) {
          errors.add(new FieldError(path, "must be an integer from " + Integer.MIN_VALUE + " to "
              + Integer.MAX_VALUE + ", not " + node.asText()));
        } else if (node.isTextual() && node.textValue().length() > MAX_STRING) {
          errors.add(new FieldError(path, "is " + node.textValue().length() + " characters long, more than "
              + MAX_STRING));
        }
      } else if (shape instanceof ArrayOf a) {
        if (!node.isArray()) {
          errors.add(new FieldError(path, "must be an array, not " + describe(node)));
          return;
        }
        if (node.size() > MAX_ENTRIES) {
          errors.add(new FieldError(path, "has " + node.size() + " elements, more than " + MAX_ENTRIES));
          return;
        }
        for (int i = 0; i < node.size(); i++) {
          if (node.get(i).isNull()) {
            errors.add(new FieldError(path + "[" + i + "]", "must not be null"));
            continue;
          }
          check(node.get(i), a.element(), path + "[" + i + "]", errors, warnings);
        }
      } else if (shape instanceof MapOf m) {
        if (!node.isObject()) {
          errors.add(new FieldError(path, "must be an object, not " + describe(node)));
          return;
        }
        if (node.size() > MAX_ENTRIES) {
          errors.add(new FieldError(path, "has " + node.size() + " entries, more than " + MAX_ENTRIES));
          return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (e.getKey().length() > MAX_KEY) {
            errors.add(new FieldError(path, "has a key " + e.getKey().length() + " characters long, more than " + MAX_KEY));
            continue;
          }
          if (e.getValue().isNull()) {
            errors.add(new FieldError(path + "." + e.getKey(), "must not be null"));
            continue;
          }
          check(e.getValue(), m.value(), path + "." + e.getKey(), errors, warnings);
        }
      } else if (shape instanceof Obj o) {
        if (!node.isObject()) {
          errors.add(new FieldError(path, "must be an object, not " + describe(node)));
          return;
        }
        int unknown = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String field = path + "." + e.getKey();
          Shape inner = o.fields().get(e.getKey());
          if (inner == null) {
            unknown++;
          }
          if (inner != null) {
            check(e.getValue(), inner, field, errors, warnings);
          } else if (warnings.size() >= MAX_WARNINGS) {
            continue;
          } else if (o.unsupported().contains(e.getKey())) {
            warnings.add(field + " is not supported by Trellis and is ignored");
          } else if (!o.ignored().contains(e.getKey())) {
            warnings.add(field + " is not a known field and is ignored");
          }
        }
        if (unknown > MAX_WARNINGS) {
          errors.add(new FieldError(path, "has " + unknown + " fields Trellis does not know, more than " + MAX_WARNINGS
              + ": is this an app definition?"));
        }
      }
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      String text = node.asText();
      return "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "...\" (" + text.length()
          + " characters)" : text + "\"");
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    return node.getNodeType().name().toLowerCase() + " " + node;
  }
}
