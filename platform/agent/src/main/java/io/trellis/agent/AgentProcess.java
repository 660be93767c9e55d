package io.trellis.agent;

import io.trellis.agent.http.AgentHttpServer;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.security.auth.ServerSecurity;
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

  private AgentProcess(Agent agent, AgentHttpServer http, MasterDetector detector) {
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
    AgentHttpServer http = new AgentHttpServer(new AgentApi(agent), config.host(), config.port(), transport.server(),
        security);
    String endpoint = config.host() + ":" + http.port();
    agent.start(endpoint, new MasterLink(detector, config.heartbeatInterval(), transport.client()));
    log.info("agent listening on {}://{} with {} (work dir {})", transport.scheme(), endpoint, total, config.workDir());
    return new AgentProcess(agent, http, detector);
  }

  /** Every endpoint its HTTP server serves. */
  public java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints() {
    return http.endpoints();
  }

  public String endpoint() {
    return agent.endpoint();
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
