package io.trellis.hadoop.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis hadoop env}: the configuration with which stock {@code yarn} and {@code hadoop} commands use this cluster. */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = "Write core-site.xml, yarn-site.xml and mapred-site.xml for stock Hadoop clients of this ResourceManager.")
final class EnvCommand implements Callable<Integer> {
  @Option(names = "--rm", description = "The ResourceManager's control API host:port (default: $TRELLIS_HADOOP or 127.0.0.1:8090)")
  String rm = HadoopCommand.defaultControl();

  @Option(names = "--dir", defaultValue = "hadoop-conf", description = "Where to write the files (default ${DEFAULT-VALUE}).")
  Path dir;

  @Override
  public Integer call() {
    try {
      ConfFiles.write(dir, new ControlClient(rm).get("/v1/conf"));
    } catch (ControlClient.Failure | IOException e) {
      System.err.println("trellis hadoop env: " + e.getMessage());
      return 1;
    }
    System.out.println("export HADOOP_CONF_DIR=" + dir.toAbsolutePath());
    return 0;
  }
}
