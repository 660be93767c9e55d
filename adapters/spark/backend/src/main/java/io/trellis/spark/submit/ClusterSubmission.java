package io.trellis.spark.submit;

import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Resources;
import io.trellis.spark.MasterUrl;
import io.trellis.spark.offer.Constraints;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Cluster mode: a small framework of its own (one per submission) launches the driver as a
 * Trellis task on an agent that fits it, then leaves it running. The framework's failover timeout
 * ({@code spark.trellis.submit.failoverTimeout}, one day by default) keeps the driver alive after
 * this process exits; {@code trellis spark kill} subscribes again with the framework's id and
 * tears it down.
 */
public final class ClusterSubmission {
  public static final String LABEL_DRIVER = "spark-driver";
  public static final String FRAMEWORK_NAME = "spark-submit";

  private final SubmitArgs app;
  private final PrintStream out;
  private final String driverId;
  private final CompletableFuture<TaskStatus> started = new CompletableFuture<>();
  private final CompletableFuture<TaskStatus> ended = new CompletableFuture<>();
  private volatile boolean launched;

  public ClusterSubmission(SubmitArgs app, PrintStream out) {
    this.app = app;
    this.out = out;
    this.driverId = "driver-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
        + "-" + String.format(Locale.ROOT, "%04x", new SecureRandom().nextInt(0x10000));
  }

  public String driverId() {
    return driverId;
  }

  public int run() throws Exception {
    String role = app.conf().getOrDefault("spark.trellis.role", "spark");
    double failover = Double.parseDouble(app.conf().getOrDefault("spark.trellis.submit.failoverTimeout", "86400"));
    String resources = "cpus:" + app.conf().getOrDefault("spark.driver.cores", "1") + ";mem:" + driverMemMb();
    Constraints constraints = Constraints.parse(app.conf().get("spark.trellis.constraints"));
    // The driver calls the master as this submission does: the same credentials and TLS settings
    // in its environment (secrets: never logged).
    io.trellis.security.ClientSecurity security = io.trellis.security.ClientSecurity.fromEnvironment();
    TaskSpec task = new TaskSpec(driverId, "spark driver of " + app.appName(), null, resources,
        new CommandSpec(shell(), true, List.of(), driverEnvironment(security), null),
        Map.of(LABEL_DRIVER, "true", "spark-app-name", app.appName()), 10.0, null);
    try (MasterDetector detector = MasterDetectors.from(MasterUrl.parse(app.master()).detectorSpec())) {
      FrameworkInfo info = new FrameworkInfo(null, FRAMEWORK_NAME + " " + app.appName(),
          System.getProperty("user.name"), List.of(role), failover, null);
      SchedulerClient client = SchedulerClient.start(detector, security, info,
          new Launcher(task, Resources.parse(resources), constraints));
      String frameworkId = client.awaitSubscribed(Duration.ofSeconds(60));
      TaskStatus running;
      try {
        running = started.get(Long.parseLong(app.conf().getOrDefault("spark.trellis.submit.timeoutSeconds", "300")),
            TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        out.println("driver " + driverId + " did not start in time: no offer fits " + resources + "; giving up");
        client.teardown();
        return 1;
      }
      if (running.state() != TaskState.RUNNING) {
        out.println("driver " + driverId + " " + running.state() + ": " + running.message());
        client.teardown();
        return 1;
      }
      out.println("driver " + driverId + " RUNNING on agent " + running.agentId() + " (framework " + frameworkId + ")");
      out.println("follow it with: trellis spark status " + driverId + "; stop it with: trellis spark kill " + driverId);
      if (!app.waitForDriver()) {
        client.close();
        return 0;
      }
      TaskStatus end = ended.get();
      out.println("driver " + driverId + " " + end.state()
          + (end.exitCode() == null ? "" : " with exit code " + end.exitCode()));
      client.teardown();
      return end.state() == TaskState.FINISHED ? 0 : 1;
    }
  }

  /** The credentials, TLS settings and ZooKeeper credentials the driver needs to reach the cluster. */
  static Map<String, String> driverEnvironment(io.trellis.security.ClientSecurity security) {
    Map<String, String> env = new java.util.LinkedHashMap<>(security.environment());
    io.trellis.security.zk.ZkCredentials zk = io.trellis.security.zk.ZkCredentials.fromEnvironment();
    if (zk != null) {
      env.putAll(zk.environment());
    }
    return env;
  }

  private long driverMemMb() {
    long heap = MemoryText.mb(app.conf().getOrDefault("spark.driver.memory", "1g"));
    return heap + Math.max(384, heap / 10);
  }

  /** Fetches the jar if it is a URL, then runs the driver JVM on the agent's address. */
  private String shell() {
    StringBuilder sh = new StringBuilder("export SPARK_LOCAL_DIRS=\"$PWD\"; ");
    String jar = app.jar();
    String jarOnAgent = jar;
    if (jar.startsWith("http://") || jar.startsWith("https://")) {
      sh.append("curl -fsSL --retry 3 -o app.jar ").append(DriverCommand.quote(jar)).append(" || exit 1; ");
      jarOnAgent = "__SANDBOX__/app.jar";
    }
    String classPath = app.conf().getOrDefault("spark.trellis.executor.classpath", Submit.classPath());
    List<String> argv = DriverCommand.argv(app.conf().getOrDefault("spark.trellis.executor.java", "java"),
        classPath, app, jarOnAgent, Map.of("spark.driver.host", "__HOST__"));
    sh.append("exec");
    for (String a : argv) {
      sh.append(' ').append(DriverCommand.quote(a)
          .replace("__HOST__", "'\"$HOST\"'").replace("__SANDBOX__", "'\"$PWD\"'"));
    }
    return sh.toString();
  }

  /** Launches the driver on the first offer that fits, then watches it. */
  private final class Launcher implements Scheduler {
    private final TaskSpec task;
    private final Resources needed;
    private final Constraints constraints;

    Launcher(TaskSpec task, Resources needed, Constraints constraints) {
      this.task = task;
      this.needed = needed;
      this.constraints = constraints;
    }

    @Override
    public void offers(SchedulerClient c, List<OfferInfo> offers) {
      List<String> decline = new ArrayList<>();
      for (OfferInfo o : offers) {
        if (!launched && constraints.accepts(o.attributes()) && Resources.parse(o.resources()).contains(needed)) {
          launched = true;
          TaskSpec onAgent = new TaskSpec(task.taskId(), task.name(), o.agentId(), task.resources(),
              task.command(), task.labels(), task.killGracePeriodSeconds(), task.container());
          c.accept(List.of(o.id()), List.of(onAgent), 600.0);
          c.suppress(List.of());
        } else {
          decline.add(o.id());
        }
      }
      if (!decline.isEmpty()) {
        c.decline(decline, launched ? 600.0 : 5.0);
      }
    }

    @Override
    public void update(SchedulerClient c, TaskStatus status) {
      if (!status.taskId().equals(driverId)) {
        return;
      }
      if (status.state() == TaskState.RUNNING || status.state().isTerminal()) {
        started.complete(status);
      }
      if (status.state().isTerminal()) {
        ended.complete(status);
      }
    }

    @Override
    public void error(SchedulerClient c, String message) {
      out.println("Trellis: " + message);
    }
  }
}
