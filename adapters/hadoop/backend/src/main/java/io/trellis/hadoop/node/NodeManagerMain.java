package io.trellis.hadoop.node;

import java.nio.file.Files;
import java.nio.file.Path;
import io.trellis.hadoop.Logging;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.nodemanager.NodeManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A NodeManager as a Trellis task: its settings come as {@code key=value} arguments; its local and
 * log directories are made in the task's sandbox (the working directory). It exits 0 once stopped
 * (by SIGTERM or by the ResourceManager after a decommission).
 */
public final class NodeManagerMain {
  private static final Logger log = LoggerFactory.getLogger(NodeManagerMain.class);

  private NodeManagerMain() {}

  public static void main(String[] args) throws Exception {
    Logging.quiet();
    YarnConfiguration conf = new YarnConfiguration();
    java.util.Set<String> given = new java.util.HashSet<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        System.err.println("NodeManagerMain: argument '" + a + "' is not key=value");
        System.exit(2);
      }
      conf.set(a.substring(0, eq), a.substring(eq + 1));
      given.add(a.substring(0, eq));
    }
    Path sandbox = Path.of("").toAbsolutePath();
    for (String[] dir : new String[][] {{"yarn.nodemanager.local-dirs", "nm-local"}, {"yarn.nodemanager.log-dirs", "nm-logs"},
        {"hadoop.tmp.dir", "tmp"}}) {
      if (!given.contains(dir[0])) {
        Path p = Files.createDirectories(sandbox.resolve(dir[1]));
        conf.set(dir[0], p.toString());
      }
    }
    NodeManager nm = new NodeManager();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      nm.stop();
      // YARN starts containers in their own sessions: whatever outlived the NM's own clean-up ends with it.
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }, "nodemanager-stop"));
    nm.init(conf);
    nm.start();
    log.info("NodeManager {} started with {} MB and {} vcores", conf.get("yarn.nodemanager.address"),
        conf.get("yarn.nodemanager.resource.memory-mb"), conf.get("yarn.nodemanager.resource.cpu-vcores"));
    nm.waitForServiceToStop(Long.MAX_VALUE);
    log.info("NodeManager stopped");
    System.exit(0);
  }
}
