package io.trellis.simulate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a comma-separated file (gzip when its name ends in {@code .gz}) row by row. Blank rows
 * and rows starting with {@code #} are ignored; a row too long or a row the handler refuses is
 * counted in {@link Skipped} with its reason, never thrown.
 */
final class CsvRows {
  /** Longer rows are skipped unread: no trace this reads has rows near this length. */
  static final int MAX_ROW = 10_000;

  interface Handler {
    /** Handles one row's fields; throws {@link IllegalArgumentException} naming what is wrong. */
    void row(long number, String[] fields);
  }

  private CsvRows() {}

  static Skipped read(Path file, Handler handler) {
    Skipped skipped = new Skipped();
    try (BufferedReader in = open(file)) {
      long number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.length() > MAX_ROW) {
          skipped.add(number, line.length() + " characters, at most " + MAX_ROW);
          continue;
        }
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        try {
          handler.row(number, split(trimmed));
        } catch (IllegalArgumentException e) {
          skipped.add(number, e.getMessage());
        }
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return skipped;
  }

  private static BufferedReader open(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + " is a directory, not a trace file");
    }
    var in = Files.newInputStream(file);
    var stream = file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
    return new BufferedReader(new java.io.InputStreamReader(stream, StandardCharsets.UTF_8));
  }

  /** Splits on commas; double quotes may enclose a field holding commas. */
  static String[] split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(field.toString().strip());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString().strip());
    return out.toArray(String[]::new);
  }

  static long integer(String name, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a whole number: '" + clip(text) + "'");
    }
  }

  static double number(String name, String text) {
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a number: '" + clip(text) + "'");
    }
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " is not a finite number: '" + clip(text) + "'");
    }
    return v;
  }

  static String clip(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "... (" + text.length() + " characters)";
  }
}
