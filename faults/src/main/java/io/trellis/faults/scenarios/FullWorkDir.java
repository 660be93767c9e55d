package io.trellis.faults.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Invariants;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An agent's work directory fills up: the agent runs on a small tmpfs, an app's instances run
 * there, the file system is filled, the app is scaled up. The new launches fail with the reason
 * (no space left on device, naming the directory), the running instances are not lost, and once
 * space returns the agent launches the rest. Afterwards the agent runs on its own directory again.
 */
public final class FullWorkDir implements Scenario {
  @Override
  public Result run(Rig rig) throws Exception {
    Result r = new Result("full-work-dir");
    List<Node> agents = rig.nodes(Node.Role.AGENT);
    Node agent = agents.get(agents.size() - 1);
    Path work = rig.root().resolve("hosts").resolve(agent.host().name()).resolve("work");
    agent.kill9();
    sh("mount", "-t", "tmpfs", "-o", "size=24m,mode=755", "tmpfs", work.toString());
    try {
      // As after a reboot: the host's processes gone, the agent started on the (new, empty) directory.
      rig.rebootAgentHost(agent);
      rig.awaitUp(agent);
      String app = "/faults/full-work-dir";
      Sleepers s = Sleepers.start(rig, app, 3, Map.of("constraints", List.of(List.of("hostname", "CLUSTER",
          agent.host().address())), "backoffSeconds", 1, "backoffFactor", 1.0));
      Set<String> before = s.running();
      Path filler = fill(work);
      s.scale(5);
      JsonNode[] failure = new JsonNode[1];
      Duration seen = Waits.until("a launch on the full directory to fail", Duration.ofSeconds(120), () -> {
        JsonNode a = s.services.app(app);
        failure[0] = a == null ? null : a.path("lastTaskFailure");
        return failure[0] != null && failure[0].path("message").asText().contains("no space left on device");
      });
      String message = failure[0].path("message").asText();
      r.check("a launch on a full work directory fails with the reason", message.contains(work.toString()), seen,
          failure[0].path("state").asText() + ": " + message);
      Invariants.notLost(rig, r, before, seen);
      long t0 = System.nanoTime();
      Files.delete(filler);
      Duration recovered = s.awaitWhole(t0, Duration.ofSeconds(180));
      r.check("the agent launches again once space returns", true, recovered, "5 instances running "
          + recovered.toMillis() + " ms after the space was freed");
      Waits.sleep(Duration.ofSeconds(3));
      s.verify(r, recovered);
      s.remove();
    } finally {
      agent.kill9();
      sh("umount", "-l", work.toString());
      rig.rebootAgentHost(agent);
      rig.awaitUp(agent);
    }
    return r;
  }

  /** Writes a file in {@code dir} until the file system refuses more. */
  private static Path fill(Path dir) throws IOException {
    Path filler = dir.resolve("filler");
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
        throw full;
      }
    }
    return filler;
  }

  private static void sh(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out.strip());
    }
  }
}
