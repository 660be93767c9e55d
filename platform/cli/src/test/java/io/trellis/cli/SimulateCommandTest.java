package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trellis simulate} replays a trace into a table and a report, and refuses bad input in one line. */
class SimulateCommandTest {
  @TempDir
  Path dir;

  static CapturedRun simulate(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "simulate";
    System.arraycopy(args, 0, all, 1, args.length);
    return CapturedRun.of(all);
  }

  @Test
  void aTraceWithRolesIsReplayedIntoATableAndAReportWithCharts() throws Exception {
    Path trace = Files.writeString(dir.resolve("t.csv"), """
        submit_s,role,framework,cpus,mem,count,duration_s,gang,priority
        0,batch,spark-1,2,4096,20,600,0,0
        30,prod,svc,2,2048,8,300,0,0
        40,prod,svc-gang,1,1024,2,60,2,0
        60,batch,spark-2,64,1024,1,10,0,0
        """);
    Path roles = Files.writeString(dir.resolve("roles.csv"), "prod,3\nbatch,1,,cpus:28\n");

    CapturedRun run = simulate("--trace", trace.toString(), "--roles", roles.toString(), "--agents", "4",
        "--agent-resources", "cpus:8;mem:32768", "--preemption", "fair-share", "--report", dir.resolve("report").toString());

    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("ROLE"), run.out());
    assertTrue(run.out().matches("(?s).*\\n  prod\\s+10 .*"), run.out());
    assertTrue(run.out().contains("NEVER PLACED  1 tasks"), run.out());
    assertTrue(run.out().contains("no agent has cpus:64;mem:1024"), run.out());
    assertTrue(run.out().matches("(?s).*PREEMPTIONS  [1-9].*"), "prod, below its weighted fair share, preempts batch: " + run.out());
    String html = Files.readString(dir.resolve("report/index.html"));
    assertEquals(3, html.split("<svg ", -1).length - 1, "three charts");
    assertTrue(html.contains("prod target") && !html.contains("<script"), "shares against targets, no script");
    long placements = Files.readAllLines(dir.resolve("report/placements.csv")).size() - 1;
    assertTrue(placements >= 30, "30 tasks, and those preempted placed again: " + placements);
  }

  @Test
  void aGeneratedTraceIsReplayedAndWrittenOutForEditing() throws Exception {
    Path written = dir.resolve("gen.csv");
    CapturedRun run = simulate("--generate", "--seed", "5", "--gen-minutes", "10", "--agents", "5", "--write-trace",
        written.toString());
    assertEquals(0, run.code(), run.err());
    CapturedRun again = simulate("--trace", written.toString(), "--agents", "5");
    assertEquals(0, again.code(), again.err());
    assertEquals(table(run.out()), table(again.out()), "the written trace replays the same");
  }

  private static String table(String out) {
    return out.substring(0, out.indexOf("replayed in"));
  }

  @Test
  void badInputIsRefusedInOneLineWithoutAStackTrace() throws Exception {
    Path huge = Files.writeString(dir.resolve("huge.csv"),
        "submit_s,role,framework,cpus,mem,count,duration_s\n0,a," + "f".repeat(300_000) + ",1,1024,1,10\n");
    String[][] cases = {
        {"--trace", dir.resolve("missing.csv").toString()},
        {"--trace", huge.toString()},
        {"--generate", "--agents", "-5"},
        {"--generate", "--agent-resources", "cpus:1e400"},
        {"--generate", "--gen-minutes", "1e400"},
        {"--generate", "--format", "nope", "--trace", huge.toString()},
        {"--trace", huge.toString(), "--format", "nope"},
        {"--generate", "--roles", dir.resolve("none.csv").toString()},
        {"--generate", "--preemption", "sometimes"},
        {"--generate", "--gen-minutes", "1", "--report", huge.toString()},
        {},
    };
    for (String[] args : cases) {
      CapturedRun run = simulate(args);
      String what = String.join(" ", args) + " -> " + run.err();
      assertTrue(run.code() != 0, what);
      assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), what);
      String last = run.err().strip().lines().reduce((a, b) -> b).orElse("");
      assertTrue(last.startsWith("trellis simulate: "), what);
    }
    assertTrue(simulate("--trace", dir.resolve("missing.csv").toString()).err().contains("no such file"));
    assertTrue(simulate("--trace", huge.toString()).err().contains("300"), "the long row is counted with its length");
  }
}
