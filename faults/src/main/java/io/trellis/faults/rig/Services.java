package io.trellis.faults.rig;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The services framework's {@code /v2} API, as the rig's scenarios use it. */
public final class Services {
  private final Rig rig;

  public Services(Rig rig) {
    this.rig = rig;
  }

  /**
   * Creates an app of {@code instances} command tasks that write their ledger line and then sleep;
   * {@code mem} in MiB.
   */
  public void createSleepers(String appId, int instances, double cpus, double mem) {
    create(sleepers(appId, instances, cpus, mem));
  }

  /** The definition {@link #createSleepers} posts, for callers that add to it. */
  public Map<String, Object> sleepers(String appId, int instances, double cpus, double mem) {
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("id", appId);
    app.put("cmd", rig.ledger().command("sleep 86400"));
    app.put("instances", instances);
    app.put("cpus", cpus);
    app.put("mem", mem);
    return app;
  }

  /** Sets the app's instance count ({@code PUT /v2/apps/<id>}). */
  public void scale(String appId, int instances) {
    rig.api().put(rig.servicesUrl() + "/v2/apps" + appId + "?force=true", Map.of("instances", instances))
        .expectOk("PUT /v2/apps" + appId);
  }

  /** Creates an app from its definition ({@code POST /v2/apps}). */
  public void create(Map<String, Object> app) {
    rig.api().post(rig.servicesUrl() + "/v2/apps", app).expectOk("POST /v2/apps " + app.get("id"));
  }

  /** The app's view ({@code GET /v2/apps/<id>}), or null when the services API does not know it. */
  public JsonNode app(String appId) {
    Api.Answer a = rig.api().get(rig.servicesUrl() + "/v2/apps" + appId);
    if (a.status() == 404) {
      return null;
    }
    return a.expectOk("GET /v2/apps" + appId).path("app");
  }

  /** Waits until the app has {@code running} tasks running; returns how long that took. */
  public Duration awaitRunning(String appId, int running, Duration timeout) {
    return Waits.until(appId + " with " + running + " tasks running", timeout, () -> {
      JsonNode app = app(appId);
      return app != null && app.path("tasksRunning").asInt() == running;
    });
  }

  /** Removes the app and waits until the services API no longer knows it. */
  public void delete(String appId) {
    Api.Answer a = rig.api().delete(rig.servicesUrl() + "/v2/apps" + appId + "?force=true");
    if (a.status() != 404) {
      a.expectOk("DELETE /v2/apps" + appId);
    }
    Waits.until(appId + " gone", Duration.ofSeconds(120), () -> app(appId) == null);
  }

  /** Every app id the services API knows. */
  public java.util.List<String> appIds() {
    JsonNode apps = rig.api().get(rig.servicesUrl() + "/v2/apps").expectOk("GET /v2/apps").path("apps");
    java.util.List<String> out = new java.util.ArrayList<>();
    apps.forEach(a -> out.add(a.path("id").asText()));
    return out;
  }
}
