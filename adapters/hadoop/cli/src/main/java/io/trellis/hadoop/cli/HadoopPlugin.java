package io.trellis.hadoop.cli;

import io.trellis.plugin.TrellisPlugin;
import java.util.List;

/** Adds {@code trellis hadoop ...}; Hadoop itself runs in separate JVMs. */
public final class HadoopPlugin implements TrellisPlugin {
  @Override
  public List<Object> commands() {
    return List.of(new HadoopCommand());
  }
}
