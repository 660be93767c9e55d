package io.trellis.testkit.security;

import io.trellis.security.Action;
import io.trellis.security.Authorizer;
import io.trellis.security.Decision;
import io.trellis.security.Principal;
import io.trellis.security.RequestSecurity;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.FeatureContext;
import java.util.ArrayList;
import java.util.List;
import org.glassfish.jersey.internal.spi.AutoDiscoverable;

/**
 * For tests only: lets a test call a real Trellis server as a principal with grants, the way the
 * servers' authentication guard will. A request with {@value #PRINCIPAL_HEADER} gets that
 * principal and an {@link Authorizer} granting exactly what {@value #GRANTS_HEADER} lists
 * ({@code action=object} pairs separated by commas; an object ending in {@code *} is a prefix),
 * denying the rest; a request without the header is left alone. A test module switches it on by
 * listing this class in its {@code src/test/resources/META-INF/services/}{@code
 * org.glassfish.jersey.internal.spi.AutoDiscoverable}.
 */
public final class TestPrincipals implements AutoDiscoverable {
  public static final String PRINCIPAL_HEADER = "Trellis-Test-Principal";
  public static final String GRANTS_HEADER = "Trellis-Test-Grants";

  @Override
  public void configure(FeatureContext context) {
    if (!context.getConfiguration().isRegistered(Guard.class)) {
      context.register(Guard.class);
    }
  }

  /** An authorizer granting {@code grants} ({@code action=object,...}), in order, denying the rest. */
  public static Authorizer authorizer(String grants) {
    List<String[]> rules = new ArrayList<>();
    for (String g : grants == null ? new String[0] : grants.split(",")) {
      String[] kv = g.trim().split("=", 2);
      if (kv.length == 2) {
        rules.add(kv);
      }
    }
    return (Principal principal, Action action, String object) -> {
      for (int i = 0; i < rules.size(); i++) {
        String[] r = rules.get(i);
        boolean objectMatches = r[1].endsWith("*") ? object.startsWith(r[1].substring(0, r[1].length() - 1))
            : r[1].equals(object);
        if (r[0].equals(action.key()) && objectMatches) {
          return Decision.allow("rule " + (i + 1) + ": " + r[0] + " " + r[1]);
        }
      }
      return Decision.deny("no rule allows it (default deny)");
    };
  }

  /** Puts the test's principal and authorizer on the request. */
  @PreMatching
  @Priority(Priorities.AUTHENTICATION)
  public static final class Guard implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      String name = request.getHeaderString(PRINCIPAL_HEADER);
      if (name == null || name.isBlank()) {
        return;
      }
      request.setProperty(RequestSecurity.PRINCIPAL, new Principal(name));
      request.setProperty(RequestSecurity.AUTHORIZER, authorizer(request.getHeaderString(GRANTS_HEADER)));
    }
  }
}
