package io.trellis.storm.client;

import io.trellis.storm.nimbus.StormConf;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.storm.generated.Nimbus;
import org.apache.storm.generated.TopologySummary;
import org.apache.storm.utils.NimbusClient;

/**
 * {@code trellis storm jar} in a JVM with Storm's client and the topology's jar: runs the main
 * class (which submits through {@code StormSubmitter}), then waits until each topology it
 * submitted runs all its workers, or says why it cannot.
 * {@code Submit <nimbus host:port> <wait-seconds> <MainClass> [args]}. Exit 0 when running, 1 when
 * the main class or Nimbus failed or the wait ran out, 3 for a class that is not a topology's, 4
 * for a topology that cannot run on this cluster.
 */
public final class Submit {
  private static final String CANNOT_RUN = "cannot run: ";

  private Submit() {}

  public static void main(String[] args) {
    int status;
    try {
      status = run(args);
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println(e.getMessage());
      status = 1;
    } catch (Exception e) {
      System.err.println("cannot submit: " + Nimbuses.rootMessage(e));
      status = 1;
    }
    System.exit(status);
  }

  static int run(String[] args) throws Exception {
    String nimbus = args[0];
    int waitSeconds = Integer.parseInt(args[1]);
    String mainClass = args[2];
    String[] appArgs = Arrays.copyOfRange(args, 3, args.length);
    Method main;
    try {
      main = Class.forName(mainClass, false, Submit.class.getClassLoader()).getMethod("main", String[].class);
      if (!Modifier.isStatic(main.getModifiers())) {
        throw new NoSuchMethodException();
      }
    } catch (ClassNotFoundException | LinkageError e) {
      System.err.println("class " + mainClass + " is not in " + System.getProperty("storm.jar")
          + "; give the topology's main class (e.g. io.trellis.storm.examples.WordCount)");
      return 3;
    } catch (NoSuchMethodException e) {
      System.err.println(mainClass + " has no public static void main(String[]): it is not a topology's main class");
      return 3;
    }
    Map<String, Object> conf = Nimbuses.conf(nimbus);
    Path dir = Files.createTempDirectory("trellis-storm-submit-");
    StormConf.install(Map.of("nimbus.seeds", conf.get("nimbus.seeds"), "nimbus.thrift.port", conf.get("nimbus.thrift.port")), dir);
    try (NimbusClient client = Nimbuses.connect(nimbus)) {
      Nimbus.Iface c = client.getClient();
      Set<String> before = names(c);
      try {
        main.invoke(null, (Object) appArgs);
      } catch (InvocationTargetException e) {
        System.err.println(mainClass + " failed: " + Nimbuses.rootMessage(e.getCause()));
        return 1;
      }
      Set<String> submitted = new HashSet<>(names(c));
      submitted.removeAll(before);
      if (submitted.isEmpty()) {
        System.err.println(mainClass + " submitted no topology to Nimbus at " + nimbus
            + ": it is not a Storm topology's main class, or it ran one locally");
        return 3;
      }
      int worst = 0;
      for (String name : submitted) {
        try {
          worst = Math.max(worst, await(c, name, waitSeconds));
        } catch (Exception e) {
          System.err.println("lost touch with Nimbus at " + nimbus + " while waiting for " + name + ": "
              + Nimbuses.rootMessage(e));
          worst = 1;
        }
      }
      return worst;
    } finally {
      Files.deleteIfExists(dir.resolve("storm.yaml"));
      Files.deleteIfExists(dir);
    }
  }

  private static int await(Nimbus.Iface c, String name, int waitSeconds) throws Exception {
    System.out.println("submitted topology " + name + "; waiting for its workers");
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    String last = "";
    while (true) {
      TopologySummary t = Nimbuses.byName(c, name).orElse(null);
      if (t == null) {
        System.err.println("topology " + name + " is no longer listed by Nimbus");
        return 1;
      }
      String status = t.get_sched_status() == null ? "" : t.get_sched_status();
      int wanted = Nimbuses.requestedWorkers(c, t.get_id());
      if (status.startsWith(CANNOT_RUN)) {
        System.err.println("topology " + name + " " + status + ". It stays submitted with this as its waiting reason"
            + " ('trellis storm list'); remove it with 'trellis storm kill " + name + "'");
        return 4;
      }
      if (t.get_num_workers() >= wanted) {
        System.out.println("topology " + name + " is running " + t.get_num_workers() + " workers (id " + t.get_id() + ")");
        return 0;
      }
      if (!status.equals(last) && !status.isEmpty()) {
        System.out.println("  " + t.get_num_workers() + " of " + wanted + " workers: " + status);
        last = status;
      }
      if (System.nanoTime() > deadline) {
        System.err.println("topology " + name + " has " + t.get_num_workers() + " of " + wanted + " workers after "
            + waitSeconds + " s: " + status);
        return 1;
      }
      Thread.sleep(500);
    }
  }

  private static Set<String> names(Nimbus.Iface c) throws Exception {
    return c.getTopologySummaries().stream().map(TopologySummary::get_name).collect(Collectors.toSet());
  }
}
