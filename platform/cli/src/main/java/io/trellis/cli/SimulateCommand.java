package io.trellis.cli;

import io.trellis.allocator.preemption.PreemptionMode;
import io.trellis.core.resource.Resources;
import io.trellis.simulate.AlibabaTrace;
import io.trellis.simulate.ClusterSpec;
import io.trellis.simulate.Generator;
import io.trellis.simulate.GoogleTrace;
import io.trellis.simulate.Html;
import io.trellis.simulate.Outcome;
import io.trellis.simulate.Replay;
import io.trellis.simulate.ReplaySettings;
import io.trellis.simulate.RoleSpec;
import io.trellis.simulate.Summary;
import io.trellis.simulate.Trace;
import io.trellis.simulate.TrellisTrace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis simulate}: replays a workload trace against the real allocator on a simulated clock. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Replay a workload trace (or a generated one) against the real allocator on a simulated clock "
        + "and report utilisation, waits, shares against weighted-DRF targets, gangs and preemptions. "
        + "See docs/simulate.md.")
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--trace", paramLabel = "FILE", description = "The trace to replay (.gz is read too).")
  Path trace;

  @Option(names = "--format", description = "Format of --trace: trellis (default), google (2011 task_events), "
      + "alibaba (2018 batch_task).")
  String format = "trellis";

  @Option(names = "--generate", description = "Replay a synthetic trace instead of --trace.")
  boolean generate;

  @Option(names = "--seed", description = "Seed of the generated trace (default 1).")
  long seed = 1;

  @Option(names = "--gen-roles", split = ",", description = "Roles of the generated trace (default a,b).")
  List<String> genRoles = List.of("a", "b");

  @Option(names = "--gen-minutes", description = "Length of the generated trace in minutes (default 60).")
  double genMinutes = 60;

  @Option(names = "--gen-rate", description = "Task groups per minute per role (default 10).")
  double genRate = 10;

  @Option(names = "--gen-duration", description = "Mean task duration in seconds (default 300).")
  double genDuration = 300;

  @Option(names = "--gen-gangs", description = "Share of groups of 2+ tasks that are gangs (default 0.1).")
  double genGangs = 0.1;

  @Option(names = "--write-trace", paramLabel = "FILE", description = "Also write the trace read or generated, "
      + "in the trellis format.")
  Path writeTrace;

  @Option(names = "--agents", description = "Number of agents (default 100).")
  int agents = 100;

  @Option(names = "--agent-resources", description = "Resources of each agent (default cpus:8;mem:32768).")
  String agentResources = "cpus:8;mem:32768";

  @Option(names = "--roles", paramLabel = "FILE", description = "Role weights and quotas: name,weight[,guarantee[,limit]] a row.")
  Path roles;

  @Option(names = "--preemption", description = "guarantee (default), fair-share or off.")
  String preemption = "guarantee";

  @Option(names = "--max-hours", description = "Stop after this much simulated time (default: when the trace is done).")
  Double maxHours;

  @Option(names = "--report", paramLabel = "DIR", description = "Write index.html with charts and CSV files here.")
  Path report;

  @Override
  public Integer call() throws Exception {
    ClusterSpec cluster = new ClusterSpec(agents, Resources.parse(agentResources));
    Map<String, RoleSpec> roleSpecs = roles == null ? Map.of() : RoleSpec.read(roles);
    ReplaySettings settings = ReplaySettings.DEFAULTS.withPreemption(PreemptionMode.parse(preemption));
    if (maxHours != null) {
      if (!(maxHours > 0 && maxHours <= 24 * 3650)) {
        throw new IllegalArgumentException("--max-hours must be above 0 and at most 87600, got " + maxHours);
      }
      settings = settings.withMaxTime(Duration.ofMillis((long) (maxHours * 3_600_000)));
    }
    if (report != null && java.nio.file.Files.exists(report) && !java.nio.file.Files.isDirectory(report)) {
      throw new IllegalArgumentException("--report " + report + " is a file; give a directory (it is created if missing)");
    }
    Trace input = read(cluster);
    System.err.printf("trace: %d groups, %d tasks; %d rows skipped%n", input.groups().size(), input.tasks(),
        input.skipped().count());
    input.skipped().firstReasons().forEach(r -> System.err.println("  skipped " + r));
    if (writeTrace != null) {
      try {
        TrellisTrace.write(input, writeTrace);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot write the trace to " + writeTrace + " (" + e.getMessage() + ")");
      }
    }
    if (input.groups().isEmpty()) {
      throw new IllegalArgumentException("the trace holds no task that can be replayed");
    }
    long started = System.nanoTime();
    Outcome outcome = new Replay(input, cluster, roleSpecs, settings).run((at, placed, tasks) ->
        System.err.printf("  ... simulated %.1f h, %d of %d tasks placed%n", at / 3_600_000.0, placed, tasks));
    double wall = (System.nanoTime() - started) / 1e9;
    Summary summary = new Summary(outcome);
    summary.print(System.out);
    System.out.printf("%nreplayed in %.1f s of wall time (%.0fx real time)%n", wall, outcome.endMillis() / 1000.0 / Math.max(wall, 1e-3));
    if (report != null) {
      try {
        System.out.println("report: " + Html.write(report, summary, "trellis simulate: " + source()));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot write the report to " + report + " (" + e.getMessage()
            + "): give --report a directory you can write");
      }
    }
    return 0;
  }

  private Trace read(ClusterSpec cluster) {
    if (generate == (trace != null)) {
      throw new IllegalArgumentException("give either --trace FILE or --generate");
    }
    if (generate) {
      return new Generator(seed, genRoles, genMinutes, genRate, genDuration, genGangs).generate();
    }
    return switch (format) {
      case "trellis" -> TrellisTrace.read(trace);
      case "google" -> GoogleTrace.read(trace, cluster.agentResources());
      case "alibaba" -> AlibabaTrace.read(trace, cluster.agentResources());
      default -> throw new IllegalArgumentException("--format must be trellis, google or alibaba, got " + format);
    };
  }

  private String source() {
    return generate ? "generated trace, seed " + seed : trace.getFileName() + " (" + format + ")";
  }
}
