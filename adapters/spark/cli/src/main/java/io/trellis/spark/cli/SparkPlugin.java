package io.trellis.spark.cli;

import io.trellis.plugin.TrellisPlugin;
import java.util.List;

/** Adds {@code trellis spark submit|status|kill}; Spark itself runs in separate JVMs. */
public final class SparkPlugin implements TrellisPlugin {
  @Override
  public List<Object> commands() {
    return List.of(new SparkCommand());
  }
}
