package io.trellis.hadoop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/** Hadoop's {@code *-site.xml} files from the ResourceManager's client settings ({@code GET /v1/conf}). */
final class ConfFiles {
  private ConfFiles() {}

  static void write(Path dir, JsonNode byFile) throws IOException {
    Files.createDirectories(dir);
    Iterator<Map.Entry<String, JsonNode>> files = byFile.fields();
    while (files.hasNext()) {
      Map.Entry<String, JsonNode> f = files.next();
      if (!f.getKey().matches("[a-z]+-site\\.xml")) {
        throw new IOException("unexpected file name '" + f.getKey() + "' from the ResourceManager");
      }
      StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!-- Written by trellis hadoop env. -->\n<configuration>\n");
      Iterator<Map.Entry<String, JsonNode>> props = f.getValue().fields();
      while (props.hasNext()) {
        Map.Entry<String, JsonNode> p = props.next();
        xml.append("  <property><name>").append(escape(p.getKey())).append("</name><value>")
            .append(escape(p.getValue().asText())).append("</value></property>\n");
      }
      xml.append("</configuration>\n");
      Files.writeString(dir.resolve(f.getKey()), xml, StandardCharsets.UTF_8);
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
