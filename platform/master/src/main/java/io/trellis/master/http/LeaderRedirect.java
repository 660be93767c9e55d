package io.trellis.master.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** A standby master answers API calls with a redirect to the leader (or 503 when none is known). */
@PreMatching
final class LeaderRedirect implements ContainerRequestFilter {
  private final Leadership leadership;

  LeaderRedirect(Leadership leadership) {
    this.leadership = leadership;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (leadership.isLeader() || path.startsWith("health") || path.startsWith("/health")
        || path.contains("metrics")) {
      return;
    }
    if (!leadership.zooKeeperReachable()) {
      request.abortWith(Response.status(503).type("application/json")
          .entity("{\"status\":503,\"message\":\"ZooKeeper is unreachable from this master, so no master can be"
              + " known to lead; retry once ZooKeeper is back\"}")
          .build());
      return;
    }
    var leader = leadership.leaderEndpoint();
    if (leader.isEmpty()) {
      request.abortWith(Response.status(503).type("application/json")
          .entity("{\"status\":503,\"message\":\"this master is a standby and no leader is elected yet; retry shortly\"}")
          .build());
      return;
    }
    URI target = request.getUriInfo().getRequestUriBuilder().host(leader.get().split(":")[0])
        .port(Integer.parseInt(leader.get().split(":")[1])).build();
    request.abortWith(Response.temporaryRedirect(target).build());
  }
}
