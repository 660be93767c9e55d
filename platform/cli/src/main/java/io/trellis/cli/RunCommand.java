package io.trellis.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.OperatorClient;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Resources;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trellis run -- echo hello}: launches one command as a task through a small built-in
 * framework, streams its output, and exits with its exit code.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run one command as a task on the cluster, stream its output, exit with its exit code.")
final class RunCommand implements Callable<Integer> {
  @Option(names = {"--master", "--zk"}, description = "host:port or zk://host:port/path (default: $TRELLIS_MASTER or 127.0.0.1:5050)")
  String master = Trellis.defaultMaster();

  @Option(names = "--cpus", defaultValue = "0.1", description = "CPUs for the task (default: ${DEFAULT-VALUE})")
  double cpus;

  @Option(names = "--mem", defaultValue = "32", description = "Memory in MB (default: ${DEFAULT-VALUE})")
  double mem;

  @Option(names = "--role", defaultValue = "*", description = "Role to run under (default: ${DEFAULT-VALUE})")
  String role;

  @Option(names = "--name", description = "Task name (default: the command)")
  String name;

  @Option(names = "--shell", description = "Run the words as one /bin/sh -c command line")
  boolean shell;

  @picocli.CommandLine.Mixin
  io.trellis.plugin.ClientOptions clientOptions = new io.trellis.plugin.ClientOptions();

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments, after --")
  List<String> command = new ArrayList<>();

  private final CompletableFuture<TaskStatus> done = new CompletableFuture<>();
  /** Why the master refused the subscription, if it did: no point waiting for it then. */
  private final CompletableFuture<String> refused = new CompletableFuture<>();
  /** Why the last subscription attempt failed, said when none succeeds in time. */
  private volatile String lastFailure;
  private io.trellis.security.ClientSecurity security;
  private volatile TaskStatus running;
  private volatile boolean launched;

  @Override
  public Integer call() throws Exception {
    if (!(cpus > 0) || !(mem > 0)) {
      System.err.println("trellis run: --cpus and --mem must be greater than 0");
      return 2;
    }
    String taskId = "run-" + UUID.randomUUID().toString().substring(0, 8);
    String resources = Resources.parse("cpus:" + cpus + ";mem:" + mem).toString();
    CommandSpec spec = shell
        ? CommandSpec.shell(String.join(" ", command))
        : new CommandSpec(command.get(0), false, command.subList(1, command.size()), Map.of(), null);
    security = clientOptions.security();
    try (MasterDetector detector = MasterDetectors.from(master)) {
      FrameworkInfo info = new FrameworkInfo(null, "trellis-run", System.getProperty("user.name"),
          List.of(role), 0.0, null);
      SchedulerClient client = SchedulerClient.start(detector, security, info, new Scheduler() {
        @Override
        public void offers(SchedulerClient c, List<OfferInfo> offers) {
          List<String> decline = new ArrayList<>();
          for (OfferInfo o : offers) {
            Resources r = Resources.parse(o.resources());
            if (!launched && r.scalar(Resources.CPUS) >= cpus && r.scalar(Resources.MEM) >= mem) {
              launched = true;
              TaskSpec task = new TaskSpec(taskId, name == null ? String.join(" ", command) : name,
                  o.agentId(), resources, spec, Map.of(), null, null);
              c.accept(List.of(o.id()), List.of(task), 60.0);
            } else {
              decline.add(o.id());
            }
          }
          if (!decline.isEmpty()) {
            c.decline(decline, launched ? 600.0 : 1.0);
          }
        }

        @Override
        public void update(SchedulerClient c, TaskStatus status) {
          if (status.state() == TaskState.RUNNING) {
            running = status;
          }
          if (status.state().isTerminal()) {
            done.complete(status);
          }
        }

        @Override
        public void disconnected(SchedulerClient c, String reason) {
          lastFailure = reason;
        }

        @Override
        public void error(SchedulerClient c, String message) {
          if (c.subscribedTo() == null && c.frameworkId() == null) {
            refused.complete(message);
          } else {
            System.err.println("trellis run: " + message);
          }
        }
      });
      awaitSubscribed(client);
      OperatorClient operator = new OperatorClient(detector, security);
      TaskStatus end = follow(operator, client.frameworkId(), taskId);
      try {
        client.teardown();
      } catch (RuntimeException ignored) {
        // The master forgets the framework when the stream closes anyway.
      }
      return exitCode(end);
    }
  }

  /** Waits for the subscription, giving up at once when the master refuses it. */
  private void awaitSubscribed(SchedulerClient client) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        String why = refused.get(200, TimeUnit.MILLISECONDS);
        client.close();
        throw new IllegalStateException("the master refused the subscription: " + why);
      } catch (TimeoutException notRefused) {
        if (client.frameworkId() != null && client.subscribedTo() != null) {
          return;
        }
        if (System.nanoTime() > deadline) {
          client.close();
          throw new IllegalStateException("not subscribed after 15 s: " + (lastFailure == null
              ? "is a master running and reachable?" : lastFailure));
        }
      }
    }
  }

  /** Streams stdout and stderr of the task until it ends; reports why it waits meanwhile. */
  private TaskStatus follow(OperatorClient operator, String frameworkId, String taskId) throws Exception {
    HttpClient http = security.httpClient().version(HttpClient.Version.HTTP_1_1).build();
    long out = 0;
    long err = 0;
    long waitingSince = System.nanoTime();
    String agentEndpoint = null;
    while (true) {
      TaskStatus end = null;
      try {
        end = done.get(300, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        // Keep streaming.
      }
      if (!launched && System.nanoTime() - waitingSince > TimeUnit.SECONDS.toNanos(5)) {
        waitingSince = System.nanoTime();
        System.err.println("trellis run: waiting for an offer with cpus:" + cpus + " and mem:" + mem
            + reasons(operator, frameworkId));
      }
      TaskStatus r = running != null ? running : end;
      if (r != null && r.agentId() != null && agentEndpoint == null) {
        agentEndpoint = operator.agentEndpoint(r.agentId());
      }
      if (agentEndpoint != null) {
        out = copy(http, security, agentEndpoint, frameworkId, taskId, "stdout", out, System.out);
        err = copy(http, security, agentEndpoint, frameworkId, taskId, "stderr", err, System.err);
      }
      if (end != null) {
        if (end.state() != TaskState.FINISHED && end.message() != null) {
          System.err.println("trellis run: task " + taskId + " " + end.state() + ": " + end.message());
        }
        return end;
      }
    }
  }

  private static String reasons(OperatorClient operator, String frameworkId) {
    try {
      for (JsonNode f : operator.state().path("frameworks")) {
        if (f.path("id").asText().equals(frameworkId)) {
          List<String> why = new ArrayList<>();
          f.path("reasons").forEach(list -> list.forEach(r -> why.add(r.asText())));
          return why.isEmpty() ? "" : " (" + String.join("; ", why) + ")";
        }
      }
    } catch (RuntimeException e) {
      return "";
    }
    return "";
  }

  private static long copy(HttpClient http, io.trellis.security.ClientSecurity security, String agent, String framework,
      String task, String file, long offset, PrintStream to) {
    while (true) {
      String url = security.url(agent) + "/files/read?framework=" + enc(framework) + "&task=" + enc(task)
          + "&file=" + file + "&offset=" + offset + "&length=65536";
      try {
        HttpResponse<String> r = http.send(security.authorize(HttpRequest.newBuilder(URI.create(url)))
                .timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          return offset;
        }
        JsonNode chunk = Json.mapper().readTree(r.body());
        String data = chunk.path("data").asText();
        if (data.isEmpty()) {
          return offset;
        }
        to.print(data);
        to.flush();
        offset = chunk.path("offset").asLong() + data.getBytes(StandardCharsets.UTF_8).length;
      } catch (Exception e) {
        return offset;
      }
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static int exitCode(TaskStatus end) {
    return switch (end.state()) {
      case FINISHED -> 0;
      case FAILED -> end.exitCode() != null && end.exitCode() != 0 ? end.exitCode() : 1;
      case KILLED -> 137;
      case ERROR -> 2;
      default -> 1;
    };
  }
}
