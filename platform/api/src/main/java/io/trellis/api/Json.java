package io.trellis.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one JSON configuration of every Trellis process: records, nulls left out, unknown fields
 * ignored, a field given twice refused; a document must be one value (no trailing tokens), nested at most
 * {@link #MAX_NESTING} deep, with numbers of at most {@link #MAX_NUMBER_LENGTH} digits.
 */
public final class Json {
  public static final int MAX_NESTING = 256;
  public static final int MAX_NUMBER_LENGTH = 400;
  private static final ObjectMapper MAPPER = create();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectMapper create() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_LENGTH).build())
        .build();
    // A field given twice is refused rather than the last one silently winning.
    factory.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return new ObjectMapper(factory)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
        .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
  }

  /**
   * Reads a request body: the whole document first (its depth, number lengths, trailing
   * content), then its values, so that every body meets the same limits whatever its type.
   */
  public static <T> T read(String text, Class<T> type) throws JsonProcessingException {
    com.fasterxml.jackson.databind.JsonNode tree = MAPPER.readTree(text);
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      // Jackson reads "null" as no object at all; every caller wants one.
      throw com.fasterxml.jackson.databind.exc.MismatchedInputException.from(null, type,
          "the document is " + (tree == null || tree.isMissingNode() ? "empty" : "null") + ": send a JSON object");
    }
    return MAPPER.treeToValue(tree, type);
  }

  /**
   * Whether the failure is about a value of the wrong type or range at a known place in a
   * well-formed document (a 422 naming {@link #path}), rather than about the text itself (a 400).
   */
  public static boolean isInvalidValue(JsonProcessingException e) {
    return (e instanceof JsonMappingException m && !m.getPath().isEmpty()
        && !m.getOriginalMessage().startsWith("Trailing token"))
        || (e instanceof InputCoercionException c && c.getProcessor() != null);
  }

  /** The JSON path of the value a mapping failure is about, such as {@code $.container.volumes[0]}. */
  public static String path(JsonProcessingException e) {
    if (e instanceof InputCoercionException c && c.getProcessor() != null) {
      return path(c.getProcessor().getParsingContext());
    }
    StringBuilder path = new StringBuilder("$");
    if (e instanceof JsonMappingException m) {
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          path.append('.').append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          path.append('[').append(r.getIndex()).append(']');
        }
      }
    }
    return path.toString();
  }

  /**
   * Jackson's mapping messages in the client's words: "Cannot deserialize value of type
   * `java.util.ArrayList<...>` from String value (token VALUE_STRING)" becomes "expected an
   * array, not a string"; a constructor's failure names no class.
   */
  static String plainTypes(String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "Cannot deserialize value of type `([^`]*)` from ([\\w -]+?) value(?:\\s*\\(token `?\\w+`?\\))?").matcher(message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
          "expected " + kind(m.group(1)) + ", not " + article(m.group(2).toLowerCase(java.util.Locale.ROOT))));
    }
    m.appendTail(out);
    return out.toString()
        .replaceAll("Cannot construct instance of `[^`]*`, problem: `?java\\.lang\\.NullPointerException`?",
            "a value is null or missing where one is needed")
        .replaceAll("Cannot construct instance of `[^`]*`(, problem:)?", "invalid value:")
        .replaceAll("`(?:java|javax|jakarta|io\\.trellis|com\\.fasterxml)\\.[^`]*`", "a value");
  }

  private static String kind(String type) {
    String raw = type.replaceAll("<.*", "");
    String simple = raw.substring(raw.lastIndexOf('.') + 1).replaceAll(".*\\$", "");
    return switch (simple) {
      case "ArrayList", "List", "Set", "HashSet", "LinkedHashSet", "Collection" -> "an array";
      case "LinkedHashMap", "HashMap", "Map", "TreeMap" -> "an object";
      case "String", "char", "Character" -> "a string";
      case "Integer", "int", "Long", "long", "Short", "short", "BigInteger" -> "an integer";
      case "Double", "double", "Float", "float", "BigDecimal", "Number" -> "a number";
      case "Boolean", "boolean" -> "true or false";
      default -> raw.endsWith("[]") ? "an array" : "an object";
    };
  }

  private static String article(String what) {
    return (what.matches("^[aeiou].*") ? "an " : "a ") + what;
  }

  /** The path of the value a parser is at: {@code $.a.b[2]}. */
  private static String path(JsonStreamContext at) {
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (JsonStreamContext c = at; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.addFirst("[" + c.getCurrentIndex() + "]");
      } else if (c.getCurrentName() != null) {
        parts.addFirst("." + c.getCurrentName());
      } else if (parts.isEmpty()) {
        continue; // in an object, before its next field's name
      } else {
        parts.addFirst(".?");
      }
    }
    return "$" + String.join("", parts);
  }

  /**
   * The message for a body that cannot be read as a {@code what}: the place of a bad value when
   * the document itself is well-formed, then what is wrong, without class names.
   */
  public static String unparsable(String what, JsonProcessingException e) {
    return "unparsable JSON for " + what + ": " + (isInvalidValue(e) ? path(e) + ": " : "") + describe(e);
  }

  /**
   * What is wrong with a JSON document, for a client to read: the problem, where it is, and no
   * class names. Every failure has a message; a failure without a location (a document nested
   * too deep) is described without one.
   */
  public static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    if (e instanceof StreamConstraintsException) {
      // Jackson names the setting it checked: the client needs the limit, not the setting.
      message = message.replaceAll(",? ?from `[^`]*`", "");
    }
    // Jackson names the parser feature that would allow it (NaN, comments, single quotes): not for clients.
    message = message.replaceAll(":? enable `?[\\w.]+`? to allow", ": not valid JSON");
    if (message.startsWith("Trailing token")) {
      message = "trailing content after the JSON document: send exactly one JSON value";
    }
    message = plainTypes(message);
    message = message.replaceAll("\\s*\\(for [^)]*\\)", "")
        .replaceAll("\\s*\\(start marker at \\[[^\\]]*\\]\\)", "").replaceAll("`[\\w.$]+[.$](\\w+)`", "$1");
    if (message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    if (e instanceof com.fasterxml.jackson.core.exc.StreamReadException read && read.getProcessor() != null) {
      String where = path(read.getProcessor().getParsingContext());
      if (!where.equals("$") && !message.contains(where)) {
        message = message + " at " + where;
      }
    }
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 0 ? message
        : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }
}
