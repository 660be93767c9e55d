package io.trellis.services.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.services.framework.ServicesFramework;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;

/** {@code /v2/info}, {@code /v2/leader}, {@code /ping}. */
@Path("")
public final class InfoResource {
  static final String VERSION = "0.1.0";
  private final ServicesFramework framework;
  private final ServicesHttpServer.Info info;
  private final Supplier<String> self;

  InfoResource(ServicesFramework framework, ServicesHttpServer.Info info, Supplier<String> self) {
    this.framework = framework;
    this.info = info;
    this.self = self;
  }

  @GET
  @Path("v2/info")
  @Produces(MediaType.APPLICATION_JSON)
  public Response info() {
    ObjectNode node = Views.MAPPER.createObjectNode();
    node.put("name", "trellis-services");
    node.put("version", VERSION);
    node.put("elected", true);
    node.put("leader", self.get());
    node.put("frameworkId", framework.frameworkId());
    ObjectNode config = node.putObject("marathon_config");
    config.put("master", info.zk());
    config.put("mesos_role", info.role());
    config.put("mesos_leader_ui_url", framework.master() == null ? null : "http://" + framework.master() + "/");
    node.putObject("zookeeper_config").put("zk", info.zk() + "/services");
    node.putObject("http_config").put("http_port", Integer.parseInt(self.get().substring(self.get().lastIndexOf(':') + 1)));
    return Http.json(200, node);
  }

  @GET
  @Path("v2/leader")
  @Produces(MediaType.APPLICATION_JSON)
  public Response leader() {
    return Http.json(200, Views.MAPPER.createObjectNode().put("leader", self.get()));
  }

  @GET
  @Path("ping")
  @Produces(MediaType.TEXT_PLAIN)
  public String ping() {
    return "pong";
  }

  @GET
  @Path("v2/ping")
  @Produces(MediaType.TEXT_PLAIN)
  public String ping2() {
    return "pong";
  }
}
