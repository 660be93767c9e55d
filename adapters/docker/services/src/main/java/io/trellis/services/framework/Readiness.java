package io.trellis.services.framework;

import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.ReadinessCheck;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.instance.Instance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness checks, run by the framework during deployments: each new instance of an app being
 * deployed is probed ({@code GET http://host:port/path}) until it answers one of
 * {@code httpStatusCodesForReady}; only then does it count toward the deployment.
 */
final class Readiness {
  private static final Logger log = LoggerFactory.getLogger(Readiness.class);
  private final Parts p;
  private final Runnable changed;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** Probes in flight and when each task may be probed next (loop-owned). */
  private final Set<String> probing = new HashSet<>();
  private final Map<String, Long> nextProbe = new HashMap<>();

  Readiness(Parts parts, Runnable changed) {
    this.p = parts;
    this.changed = changed;
  }

  /** Starts the probes that are due; runs on the loop. */
  void probe() {
    long now = System.nanoTime();
    nextProbe.keySet().removeIf(id -> !p.state.instances.containsKey(id));
    p.state.ready.removeIf(id -> !p.state.instances.containsKey(id));
    p.state.readinessAnswers.keySet().removeIf(id -> !p.state.instances.containsKey(id));
    for (Deployment d : p.state.deployments.values()) {
      for (String appId : d.affectedApps()) {
        AppDefinition app = p.state.apps.get(appId);
        if (app == null || app.readinessChecks().isEmpty()) {
          continue;
        }
        for (Instance i : p.state.instancesOf(appId)) {
          boolean due = nextProbe.getOrDefault(i.taskId(), 0L) <= now;
          if (i.isActive() && i.isHealthy(app.hasHealthChecks()) && app.configVersion().equals(i.version())
              && !p.state.ready.contains(i.taskId()) && !probing.contains(i.taskId()) && due) {
            start(app, i, app.readinessChecks().get(0));
          }
        }
      }
    }
  }

  private void start(AppDefinition app, Instance i, ReadinessCheck check) {
    String url = url(app, i, check);
    long interval = (long) ((check.intervalSeconds() == null ? 30 : check.intervalSeconds()) * 1e9);
    nextProbe.put(i.taskId(), System.nanoTime() + interval);
    if (url == null) {
      p.state.readinessAnswers.put(i.taskId(), "no port named " + check.portName());
      return;
    }
    List<Integer> codes = check.httpStatusCodesForReady() == null || check.httpStatusCodesForReady().isEmpty()
        ? List.of(200) : check.httpStatusCodesForReady();
    probing.add(i.taskId());
    double timeout = check.timeoutSeconds() == null ? 10 : check.timeoutSeconds();
    http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis((long) (timeout * 1000))).build(),
        HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> p.loop.execute("readiness", () -> {
          probing.remove(i.taskId());
          String answer = e != null ? "GET " + url + " failed: " + e.getClass().getSimpleName() : "GET " + url + " returned " + r.statusCode();
          p.state.readinessAnswers.put(i.taskId(), answer);
          if (e == null && codes.contains(r.statusCode()) && p.state.instances.containsKey(i.taskId())) {
            log.debug("instance {} of {} is ready", i.taskId(), i.appId());
            p.state.ready.add(i.taskId());
            changed.run();
          }
        }));
  }

  private static String url(AppDefinition app, Instance i, ReadinessCheck check) {
    int index = check.portName() == null ? 0 : app.hostPortNames().indexOf(check.portName());
    if (index < 0 || index >= i.hostPorts().size()) {
      return null;
    }
    String protocol = "HTTPS".equalsIgnoreCase(check.protocol()) ? "https" : "http";
    String path = check.path() == null ? "/" : check.path();
    return protocol + "://" + i.hostname() + ":" + i.hostPorts().get(index) + (path.startsWith("/") ? path : "/" + path);
  }
}
