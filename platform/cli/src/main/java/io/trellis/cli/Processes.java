package io.trellis.cli;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.agent.resources.ResourceDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.security.TransportSecurity;
import io.trellis.security.auth.ServerSecurity;
import io.trellis.security.signing.ClusterKey;

/** Starts the processes the commands run, the same way for {@code local} and alone. */
final class Processes {
  private Processes() {}

  /** @param clusterKey signs the master's calls to agents; {@code null} for unsigned calls */
  static MasterProcess master(MasterConfig config, String zk, TransportSecurity transport, ServerSecurity security,
      ClusterKey clusterKey) throws Exception {
    if (zk == null) {
      return MasterProcess.standalone(config, transport, security, clusterKey);
    }
    return MasterProcess.withZooKeeper(config, zk, transport, security, clusterKey);
  }

  static AgentProcess agent(AgentConfig config, TransportSecurity transport, ServerSecurity security) throws Exception {
    ResourceDetector detector = new ResourceDetector(config.workDir());
    Resources total = detector.detect(config.resources());
    return AgentProcess.start(config, total, ResourceDetector.attributes(config.attributes()),
        MasterDetectors.from(config.master(), config.zkSessionTimeout()), transport, security);
  }

  /** Says once, at start, that a server command serves plain HTTP. */
  static void warnIfPlain(String command, TransportSecurity transport) {
    if (transport.server() == null) {
      org.slf4j.LoggerFactory.getLogger(Processes.class).warn("trellis {} serves plain HTTP: give --tls-cert and"
          + " --tls-key (and --tls-ca) to serve https", command);
    }
  }
}
