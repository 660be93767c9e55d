package io.trellis.agent;

import io.trellis.agent.http.AgentHttpServer;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.security.auth.ServerSecurity;
import io.trellis.security.signing.ClusterKey;
import io.trellis.security.signing.SignatureVerifier;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running agent: the agent, its HTTP server and its link to the master. Wiring in one place. */
public final class AgentProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentProcess.class);
  private final Agent agent;
  private final AgentHttpServer http;
  private final MasterDetector detector;
  private final MasterLink link;

  private AgentProcess(Agent agent, AgentHttpServer http, MasterDetector detector, MasterLink link) {
    this.link = link;
    this.agent = agent;
    this.http = http;
    this.detector = detector;
  }

  /** Starts an agent with these total resources, registering through {@code detector}. */
  public static AgentProcess start(AgentConfig config, Resources total, Attributes attributes,
      MasterDetector detector) throws IOException {
    return start(config, total, attributes, detector, io.trellis.security.TransportSecurity.NONE, ServerSecurity.off());
  }

  /** As above, serving with this TLS and calling masters with these settings. */
  public static AgentProcess start(AgentConfig config, Resources total, Attributes attributes,
      MasterDetector detector, io.trellis.security.TransportSecurity transport) throws IOException {
    return start(config, total, attributes, detector, transport, ServerSecurity.off());
  }

  /** As above, the agent's callers checked by {@code security}. */
  public static AgentProcess start(AgentConfig config, Resources total, Attributes attributes,
      MasterDetector detector, ServerSecurity security) throws IOException {
    return start(config, total, attributes, detector, io.trellis.security.TransportSecurity.NONE, security);
  }

  /** As above, with this TLS and these settings for calls to masters, the agent's callers checked by {@code security}. */
  public static AgentProcess start(AgentConfig config, Resources total, Attributes attributes,
      MasterDetector detector, io.trellis.security.TransportSecurity transport, ServerSecurity security)
      throws IOException {
    Files.createDirectories(config.workDir());
    Agent agent = new Agent(config, total, attributes);
    java.nio.file.Path keyFile = config.clusterKeyFile();
    SignatureVerifier verifier = keyFile == null ? null : new SignatureVerifier(ClusterKey.read(keyFile));
    if (verifier == null) {
      log.debug("no cluster key configured: the agent takes unsigned calls from any master");
    }
    AgentHttpServer http = new AgentHttpServer(new AgentApi(agent), config.host(), config.port(), transport.server(),
        security, verifier);
    String endpoint = config.host() + ":" + http.port();
    MasterLink link = new MasterLink(detector, config.heartbeatInterval(), transport.client());
    try {
      agent.start(endpoint, link);
    } catch (RuntimeException e) {
      http.close();
      agent.close();
      throw e;
    }
    log.info("agent listening on {}://{} with {} (work dir {})", transport.scheme(), endpoint, total, config.workDir());
    return new AgentProcess(agent, http, detector, link);
  }

  /** Every endpoint its HTTP server serves. */
  public java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints() {
    return http.endpoints();
  }

  public String endpoint() {
    return agent.endpoint();
  }

  /** Waits until a master has taken this agent's registration; false if none did within {@code timeout}. */
  public boolean awaitRegistered(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!link.isRegistered()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** The id the master gave, once registered. */
  public String agentId() {
    return agent.checkpoints.agentId();
  }

  @Override
  public void close() {
    http.close();
    agent.close();
    detector.close();
  }
}
