package io.trellis.storm.supervisor;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trellis.storm.nimbus.StormConf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.storm.daemon.supervisor.Supervisor;

/**
 * A supervisor task's entry point: Storm's supervisor daemon with the settings its framework
 * chose (base64 JSON in the only argument), its local state, logs and workers' logs in the
 * task's sandbox, where the agent's file API reads them.
 */
public final class SupervisorMain {
  private SupervisorMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: SupervisorMain <base64 JSON of Storm settings>");
      System.exit(2);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> conf = new LinkedHashMap<>(new ObjectMapper().readValue(
        new String(Base64.getDecoder().decode(args[0]), StandardCharsets.UTF_8), Map.class));
    Path sandbox = Path.of("").toAbsolutePath();
    for (String key : new String[] {"storm.local.dir", "storm.log.dir"}) {
      Object dir = conf.get(key);
      if (dir != null) {
        Path p = sandbox.resolve(dir.toString());
        Files.createDirectories(p);
        conf.put(key, p.toString());
      }
    }
    System.setProperty("storm.home", sandbox.toString());
    System.setProperty("storm.log.dir", conf.getOrDefault("storm.log.dir", sandbox.resolve("logs")).toString());
    installWorkerLogging(sandbox.resolve("log4j2"));
    StormConf.install(conf, sandbox.resolve("conf"));
    Supervisor.main(new String[0]);
  }

  /** Storm's workers read their logging from {@code storm.home/log4j2/worker.xml}. */
  private static void installWorkerLogging(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String name : new String[] {"worker.xml", "cluster.xml"}) {
      try (InputStream in = SupervisorMain.class.getResourceAsStream("/io/trellis/storm/log4j2/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the adapter's jar has no io/trellis/storm/log4j2/" + name);
        }
        Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
