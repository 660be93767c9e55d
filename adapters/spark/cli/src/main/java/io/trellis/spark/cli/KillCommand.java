package io.trellis.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.TaskStatus;
import io.trellis.client.OperatorClient;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trellis spark kill <driver-id>}: ends a cluster-mode driver. Each submission has its own
 * small framework; this subscribes again with its id, kills the driver task (the driver, stopping,
 * gives back its executors) and tears the framework down.
 */
@Command(name = "kill", mixinStandardHelpOptions = true, description = "Kill a cluster-mode driver.")
final class KillCommand implements Callable<Integer> {
  @Option(names = "--master", description = "host:port, zk://host:port/path or trellis://... (default: $TRELLIS_MASTER or 127.0.0.1:5050)")
  String master = SparkCommand.defaultMaster();

  @picocli.CommandLine.Mixin
  io.trellis.plugin.ClientOptions client = new io.trellis.plugin.ClientOptions();

  @Parameters(index = "0", paramLabel = "DRIVER_ID", description = "The id trellis spark submit printed, driver-...")
  String driverId;

  @Override
  public Integer call() throws Exception {
    io.trellis.security.ClientSecurity security = client.security();
    try (MasterDetector detector = MasterDetectors.from(SparkCommand.clusterAddress(master))) {
      OperatorClient operator = new OperatorClient(detector, security);
      Optional<JsonNode> task = Drivers.find(operator, driverId);
      if (task.isEmpty()) {
        System.err.println("trellis spark kill: no driver '" + driverId + "' in the cluster's state");
        return 1;
      }
      String state = task.get().path("state").asText();
      if (Drivers.terminal(state)) {
        System.out.println("driver " + driverId + " already ended: " + state);
        return 0;
      }
      FrameworkInfo info = new FrameworkInfo(task.get().path("frameworkId").asText(), "spark-submit",
          System.getProperty("user.name"), List.of(task.get().path("role").asText("spark")), 86400.0, null);
      CompletableFuture<TaskStatus> ended = new CompletableFuture<>();
      SchedulerClient client = SchedulerClient.start(detector, security, info, new Scheduler() {
        @Override
        public void update(SchedulerClient c, TaskStatus status) {
          if (status.taskId().equals(driverId) && status.state().isTerminal()) {
            ended.complete(status);
          }
        }
      });
      try {
        client.awaitSubscribed(Duration.ofSeconds(30));
        client.kill(driverId, task.get().path("agentId").asText());
        try {
          TaskStatus end = ended.get(60, TimeUnit.SECONDS);
          System.out.println("driver " + driverId + " " + end.state());
        } catch (TimeoutException e) {
          System.out.println("driver " + driverId + " did not confirm its end in 60 s; tearing its framework down");
        }
        client.teardown();
      } finally {
        client.close();
      }
      return 0;
    }
  }
}
