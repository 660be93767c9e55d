package io.trellis.services.cli;

import io.trellis.services.ServicesProcess;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis services}: runs the services framework and its {@code /v2} API until interrupted. */
@Command(name = "services", mixinStandardHelpOptions = true,
    description = "Run the services framework (long-running apps) and its /v2 API.")
public final class ServicesCommand implements Callable<Integer> {
  @Option(names = "--zk", description = "ZooKeeper of the cluster, zk://host:port/trellis; the state lives under <path>/services (default: $TRELLIS_ZK or ${DEFAULT-VALUE})",
      defaultValue = "${env:TRELLIS_ZK:-zk://127.0.0.1:2181/trellis}")
  String zk;

  @Option(names = "--master", description = "The master, host:port or zk://...; found through --zk when absent")
  String master;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address the API binds (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "API port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--role", defaultValue = "*", description = "Role the framework subscribes with (default: ${DEFAULT-VALUE})")
  String role;

  @picocli.CommandLine.Mixin
  io.trellis.plugin.AuthOptions auth = new io.trellis.plugin.AuthOptions();

  @picocli.CommandLine.Mixin
  io.trellis.plugin.TransportOptions transport = new io.trellis.plugin.TransportOptions();

  @Override
  public Integer call() throws Exception {
    if (System.getenv("TRELLIS_LOG_LEVEL") == null && System.getProperty("TRELLIS_LOG_LEVEL") == null) {
      System.setProperty("TRELLIS_LOG_LEVEL", "INFO");
    }
    io.trellis.security.TransportSecurity security = transport.forFramework();
    if (security.server() == null) {
      org.slf4j.LoggerFactory.getLogger(ServicesCommand.class).warn("trellis services serves plain HTTP: give"
          + " --tls-cert and --tls-key (and --tls-ca) to serve https");
    }
    io.trellis.security.auth.ServerSecurity callers = auth.serverSecurity("services", io.trellis.plugin.AuthOptions.defaultDir());
    try (ServicesProcess services = ServicesProcess.start(zk, master, role, host, port,
        auth.calling(security, "services", io.trellis.plugin.AuthOptions.defaultDir()), callers)) {
      System.out.println("services API listening on " + security.scheme() + "://" + host + ":" + services.port() + "/v2/apps");
      new CountDownLatch(1).await();
    }
    return 0;
  }
}
