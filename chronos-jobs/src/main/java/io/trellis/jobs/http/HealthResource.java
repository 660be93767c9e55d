package io.trellis.jobs.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}, as on every Trellis server: open without credentials (a liveness probe),
 * with whether this instance leads and has recovered, on a leader and a standby alike.
 */
@Path("health")
public final class HealthResource {
  private final EngineAccess engine;

  public HealthResource(EngineAccess engine) {
    this.engine = engine;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String health() {
    Readiness r = engine.readiness();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("leading", r.leading());
    body.put("recovered", r.recovered());
    body.put("leader", r.leader());
    body.put("zookeeper", r.zookeeper());
    body.put("message", r.leading() ? (r.recovered() ? "leading; recovery complete"
        : "leading; reconciling the last leader's unfinished runs with the master")
        : r.leader() != null ? "standing by; " + r.leader() + " leads" : "no jobs instance leads yet (leader election in progress)");
    return Bodies.json(body);
  }
}
