package io.trellis.services.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.services.framework.ServicesFramework;
import io.trellis.services.ha.Leadership;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;

/** {@code /v2/info}, {@code /v2/leader}, {@code /ping}, {@code /health}. */
@Path("")
public final class InfoResource {
  static final String VERSION = "0.1.0";
  private final Supplier<ServicesFramework> framework;
  private final Leadership leadership;
  private final ServicesHttpServer.Info info;

  /** @param framework the framework of this instance's term of leadership, or null */
  InfoResource(Supplier<ServicesFramework> framework, Leadership leadership,
      ServicesHttpServer.Info info) {
    this.framework = framework;
    this.leadership = leadership;
    this.info = info;
  }

  @GET
  @Path("v2/info")
  @Produces(MediaType.APPLICATION_JSON)
  public Response info(@jakarta.ws.rs.core.Context jakarta.ws.rs.core.UriInfo uri) {
    // The cluster's servers share one TLS setting: the master's UI link takes this call's scheme.
    String scheme = uri.getBaseUri().getScheme();
    ObjectNode node = Views.MAPPER.createObjectNode();
    node.put("name", "trellis-services");
    node.put("version", VERSION);
    ServicesFramework leading = framework.get();
    String self = leadership.self();
    node.put("elected", leading != null);
    node.put("recovered", leading != null && leading.recovered());
    node.put("leader", leadership.leader().orElse(null));
    node.put("frameworkId", leading == null ? null : leading.frameworkId());
    ObjectNode config = node.putObject("marathon_config");
    config.put("master", info.zk());
    config.put("mesos_role", info.role());
    String master = leading == null ? null : leading.master();
    config.put("mesos_leader_ui_url", master == null ? null : scheme + "://" + master + "/");
    node.putObject("zookeeper_config").put("zk", info.zk() + "/services");
    node.putObject("http_config").put("http_port", Integer.parseInt(self.substring(self.lastIndexOf(':') + 1)));
    return Http.json(200, node);
  }

  @GET
  @Path("v2/leader")
  @Produces(MediaType.APPLICATION_JSON)
  public Response leader() {
    return leadership.leader()
        .map(l -> Http.json(200, Views.MAPPER.createObjectNode().put("leader", l)))
        .orElseGet(() -> Http.json(404, Http.message("no services instance leads yet (leader"
            + " election in progress)")));
  }

  /**
   * Whether this instance leads and whether its recovery is over (subscribed, every stored
   * instance reconciled with the master), on a leader and a standby alike, as the master's
   * {@code /health}: tests and operators wait on {@code recovered} instead of sleeping.
   */
  @GET
  @Path("health")
  @Produces(MediaType.APPLICATION_JSON)
  public Response health() {
    ServicesFramework leading = framework.get();
    boolean recovered = leading != null && leading.recovered();
    String leader = leadership.leader().orElse(null);
    ObjectNode node = Views.MAPPER.createObjectNode();
    node.put("status", "ok");
    node.put("leading", leading != null);
    node.put("recovered", recovered);
    node.put("leader", leader);
    node.put("message", leading != null ? (recovered ? "leading; recovery complete"
        : "leading; reconciling the stored instances with the master")
        : leader != null ? "standing by; " + leader + " leads" : "no services instance leads yet (leader election in progress)");
    return Http.json(200, node);
  }

  /**
   * Marathon answers {@code pong} as text; clients that ask for JSON (marathon-node) get it as a
   * JSON string. The server's preference ({@code qs}) picks text for a client that takes anything,
   * whatever order reflection lists the two methods in.
   */
  @GET
  @Path("{ping: ping|v2/ping}")
  @Produces("text/plain;qs=1")
  public String ping() {
    return "pong";
  }

  @GET
  @Path("{ping: ping|v2/ping}")
  @Produces("application/json;qs=0.5")
  public String pingJson() {
    return "\"pong\"";
  }
}
