package io.trellis.security.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Every endpoint a JAX-RS application serves, read from its resource model: what a test walks to
 * show that no endpoint answers a caller without credentials.
 */
public final class Endpoints {
  /** One endpoint: an HTTP method and a path template ({@code /v2/apps/{path: .+}}). */
  public record Endpoint(String method, String path) {
    public boolean mutating() {
      return !List.of("GET", "HEAD", "OPTIONS").contains(method);
    }
  }

  private Endpoints() {}

  /** The endpoints of the resources registered in {@code config} (classes and instances). */
  public static List<Endpoint> of(ResourceConfig config) {
    List<Endpoint> out = new ArrayList<>();
    List<Class<?>> classes = new ArrayList<>(config.getClasses());
    config.getInstances().forEach(i -> classes.add(i.getClass()));
    for (Class<?> c : classes) {
      if (Resource.isAcceptable(c) && c.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
        walk(Resource.from(c), "", out);
      }
    }
    for (Resource r : config.getResources()) {
      walk(r, "", out);
    }
    out.sort(Comparator.comparing(Endpoint::path).thenComparing(Endpoint::method));
    return out;
  }

  private static void walk(Resource resource, String parent, List<Endpoint> out) {
    String path = join(parent, resource.getPath());
    for (ResourceMethod m : resource.getResourceMethods()) {
      out.add(new Endpoint(m.getHttpMethod(), path));
    }
    for (Resource child : resource.getChildResources()) {
      walk(child, path, out);
    }
  }

  private static String join(String parent, String path) {
    String p = path == null ? "" : path;
    String joined = (parent.endsWith("/") ? parent.substring(0, parent.length() - 1) : parent)
        + (p.isEmpty() || p.startsWith("/") ? p : "/" + p);
    return joined.isEmpty() ? "/" : joined;
  }
}
