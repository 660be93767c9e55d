package io.trellis.services.app;

import java.util.List;

/** An app definition read from JSON, with warnings about the fields Trellis ignored. */
public record ParsedApp(AppDefinition app, List<String> warnings) {
  public ParsedApp {
    warnings = List.copyOf(warnings);
  }
}
