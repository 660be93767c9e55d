package io.trellis.faults.rig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the host's network and process tools ({@code ip}, {@code iptables}, {@code kill}) and reads their answer. */
final class Shell {
  private Shell() {}

  /** Runs {@code argv}; an exit status other than 0 is an {@link IllegalStateException} naming the command and its error. */
  static String run(String... argv) {
    Outcome o = attempt(argv);
    if (o.status() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " exited " + o.status() + ": " + o.output().strip());
    }
    return o.output();
  }

  /** Runs {@code argv} and returns its status and output, whatever the status. */
  static Outcome attempt(String... argv) {
    try {
      Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", argv) + " did not finish within 60 s");
      }
      return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(argv[0] + " could not run: " + e.getMessage()
          + " (install iproute2 and iptables: apt-get install -y iproute2 iptables)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
    }
  }

  record Outcome(int status, String output) {}
}
