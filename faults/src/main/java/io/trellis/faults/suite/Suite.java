package io.trellis.faults.suite;

import io.trellis.faults.rig.Install;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.RigConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code bin/fault-suite [--only a,b] [--list] [--install DIR] [--markdown FILE]}: starts the rig,
 * runs the scenarios one after the other on it (the rig made whole again between them), prints
 * progress, then the table of verdicts; exits 1 when an invariant broke.
 */
public final class Suite {
  private Suite() {}

  public static void main(String[] args) throws Exception {
    Set<String> only = Set.of();
    Path install = null;
    Path markdown = null;
    boolean list = false;
    boolean hold = false;
    String prefix = null;
    String subnet = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--list" -> list = true;
        case "--hold" -> hold = true;
        case "--only" -> only = Set.of(value(args, ++i, "--only").split(","));
        case "--install" -> install = Path.of(value(args, ++i, "--install"));
        case "--markdown" -> markdown = Path.of(value(args, ++i, "--markdown"));
        case "--prefix" -> prefix = value(args, ++i, "--prefix");
        case "--subnet" -> subnet = value(args, ++i, "--subnet");
        case "-h", "--help" -> {
          System.out.println("usage: bin/fault-suite [--only name,name] [--list] [--install DIR] [--markdown FILE] [--hold]"
              + " [--prefix tg- --subnet 10.78.0 (a second rig on the machine)]");
          return;
        }
        default -> fail("unknown option '" + args[i] + "'; see bin/fault-suite --help");
      }
    }
    List<Catalogue.Entry> entries = Catalogue.all();
    if (list) {
      entries.forEach(e -> System.out.printf("%-28s %s%n", e.name(), e.description()));
      return;
    }
    Set<String> known = entries.stream().map(Catalogue.Entry::name).collect(Collectors.toSet());
    for (String o : only) {
      if (!known.contains(o)) {
        fail("no scenario '" + o + "'; bin/fault-suite --list shows them");
      }
    }
    Set<String> chosen = only;
    List<Catalogue.Entry> run = entries.stream().filter(e -> chosen.isEmpty() || chosen.contains(e.name())).toList();
    try {
      Rig.requireRoot();
    } catch (IllegalStateException e) {
      fail(e.getMessage());
    }
    Install from = install != null ? Install.at(install) : Install.fromSource(Path.of("").toAbsolutePath());
    RigConfig config = RigConfig.full(from);
    if (prefix != null || subnet != null) {
      if (prefix == null || subnet == null) {
        fail("--prefix and --subnet go together: a second rig needs both its own (e.g. --prefix tg- --subnet 10.78.0)");
      }
      config = config.withPrefix(prefix, subnet);
    }
    if (hold) {
      try (Rig rig = Rig.start(config, Suite::progress)) {
        progress("holding the rig for use by hand (admin token " + rig.root().resolve("security/admin.token")
            + ", ZooKeeper " + rig.zk() + "); stop with Ctrl-C, which removes it");
        new java.util.concurrent.CountDownLatch(1).await();
      }
    }
    List<Result.Row> rows = runAll(config, run);
    System.out.println();
    System.out.print(Table.console(rows));
    if (markdown != null) {
      Files.writeString(markdown, "Run " + Instant.now() + " on " + machine() + "\n\n" + Table.markdown(rows));
      System.out.println("Markdown table written to " + markdown);
    }
    System.exit(rows.stream().allMatch(Result.Row::held) ? 0 : 1);
  }

  /** Runs {@code entries} on one rig (started again when a scenario leaves it broken). */
  public static List<Result.Row> runAll(RigConfig config, List<Catalogue.Entry> entries) throws Exception {
    List<Result.Row> rows = new ArrayList<>();
    Rig rig = null;
    try {
      int n = 0;
      for (Catalogue.Entry e : entries) {
        n++;
        if (rig == null) {
          rig = Rig.start(config, Suite::progress);
        }
        progress("[" + n + "/" + entries.size() + "] " + e.name() + ": " + e.description());
        long t0 = System.nanoTime();
        Result result;
        try {
          rig.ledger().clear();
          result = e.scenario().run(rig);
        } catch (Exception | AssertionError ex) {
          result = Result.failed(e.name(), ex);
        }
        rows.addAll(result.rows());
        progress("[" + n + "/" + entries.size() + "] " + e.name() + " " + (result.allHeld() ? "held" : "BROKEN")
            + " in " + Table.seconds(Duration.ofNanos(System.nanoTime() - t0)));
        try {
          rig.restore();
        } catch (RuntimeException ex) {
          progress("the rig could not be made whole again (" + ex.getMessage() + "); starting a new one");
          rig.close();
          rig = null;
        }
      }
    } finally {
      if (rig != null) {
        rig.close();
      }
    }
    return rows;
  }

  static void progress(String line) {
    System.out.println(java.time.LocalTime.now().withNano(0) + " " + line);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      fail(option + " needs a value");
    }
    return args[i];
  }

  private static void fail(String message) {
    System.err.println("fault-suite: " + message);
    System.exit(2);
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores, "
        + (Runtime.getRuntime().maxMemory() / 1) + " JVM max heap; " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + ", Java " + System.getProperty("java.version");
  }
}
