package io.trellis.jobs.cli;

import io.trellis.jobs.engine.EngineConfig;
import io.trellis.jobs.framework.JobsConfig;
import io.trellis.jobs.framework.JobsFramework;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis jobs}: the jobs framework and its {@code /v1/scheduler} API, standalone. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
    description = "Run the jobs framework (cron jobs and dependency graphs) and its /v1/scheduler API.")
public final class JobsCommand implements Callable<Integer> {
  @Option(names = "--config", description = "A properties file of option defaults (see conf/jobs.properties)")
  java.nio.file.Path config;

  @Option(names = "--zk", required = true,
      description = "ZooKeeper of the cluster, zk://host:port/trellis: the job store and the leader election live there")
  String zk;

  @Option(names = "--master", description = "Where the leading master is found: zk://... or host:port (default: the --zk spec)")
  String master;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address the API binds to (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "4400", description = "API port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--role", defaultValue = "*", description = "Role the jobs run under (default: ${DEFAULT-VALUE})")
  String role;

  @Option(names = "--retry-backoff", defaultValue = "PT10S",
      description = "Wait before the first retry of a failed run, doubled for each further retry (default: ${DEFAULT-VALUE})")
  Duration retryBackoff;

  @Option(names = "--zk-session-timeout", defaultValue = "10",
      description = "ZooKeeper session timeout in seconds: how long ZooKeeper may be unreachable before this"
          + " instance gives up the lead (default: ${DEFAULT-VALUE})")
  int zkSessionTimeoutSeconds;

  @Option(names = "--history", defaultValue = "100", description = "Finished runs kept per job (default: ${DEFAULT-VALUE})")
  int history;

  @picocli.CommandLine.Mixin
  io.trellis.plugin.AuthOptions auth = new io.trellis.plugin.AuthOptions();

  @picocli.CommandLine.Mixin
  io.trellis.plugin.TransportOptions transport = new io.trellis.plugin.TransportOptions();

  @Override
  public Integer call() throws Exception {
    if (System.getenv("TRELLIS_LOG_LEVEL") == null && System.getProperty("TRELLIS_LOG_LEVEL") == null) {
      System.setProperty("TRELLIS_LOG_LEVEL", "INFO");
    }
    if (port < 0 || port > 65535) {
      System.err.println("trellis jobs: --port " + port + " is not a port number");
      return 2;
    }
    EngineConfig engine = new EngineConfig(retryBackoff, Duration.ofMinutes(10), history);
    JobsConfig config = JobsConfig.of(zk).withMaster(master).withHost(host).withPort(port).withRole(role)
        .withEngine(engine).withZkSessionTimeout(Duration.ofSeconds(zkSessionTimeoutSeconds));
    io.trellis.security.TransportSecurity security = transport.forFramework();
    if (security.server() == null) {
      org.slf4j.LoggerFactory.getLogger(JobsCommand.class).warn("trellis jobs serves plain HTTP: give --tls-cert and"
          + " --tls-key (and --tls-ca) to serve https");
    }
    io.trellis.security.auth.ServerSecurity callers = auth.serverSecurity("jobs", io.trellis.plugin.AuthOptions.defaultDir());
    try (JobsFramework framework = JobsFramework.start(config, (l, at) -> { },
        auth.calling(security, "jobs", io.trellis.plugin.AuthOptions.defaultDir()), callers)) {
      System.out.println("Trellis jobs API on " + security.scheme() + "://" + framework.endpoint() + "/v1/scheduler");
      new CountDownLatch(1).await();
    }
    return 0;
  }
}
