package io.trellis.storm.cli;

import io.trellis.plugin.TrellisPlugin;
import java.util.List;

/** Adds {@code trellis storm ...}; Storm itself runs in separate JVMs. */
public final class StormPlugin implements TrellisPlugin {
  @Override
  public List<Object> commands() {
    return List.of(new StormCommand());
  }
}
