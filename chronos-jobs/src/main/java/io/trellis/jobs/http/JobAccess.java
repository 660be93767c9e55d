package io.trellis.jobs.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.security.Action;
import io.trellis.security.BodyPeek;
import io.trellis.security.RequestSecurity;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every change through the jobs API needs {@code manage_jobs} on the job's name, checked before
 * the endpoint runs: from the path ({@code /v1/scheduler/job/NAME}, {@code job/success/NAME},
 * {@code task/kill/NAME}) or the body's {@code name} (creating or replacing a job). A name it
 * cannot read is checked as the empty string, which only a rule for every object ({@code *})
 * allows; the endpoint then refuses the body itself.
 */
@PreMatching
@Priority(200)
final class JobAccess implements ContainerRequestFilter {
  private static final Pattern NAMED = Pattern.compile("^(?:v1/)?scheduler/(?:job/success|job|task/kill)/([^/]+)$");

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    if (!RequestSecurity.securedChange(request)) {
      return;
    }
    String path = request.getUriInfo().getPath(false).replaceFirst("^/+", "");
    Matcher named = NAMED.matcher(path);
    String name;
    if (named.matches()) {
      name = URLDecoder.decode(named.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
    } else {
      JsonNode body = BodyPeek.json(request, Bodies.MAX_BODY);
      JsonNode n = body == null ? null : body.get("name");
      name = n != null && n.isTextual() ? n.asText() : "";
    }
    RequestSecurity.require(request, Action.MANAGE_JOBS, name);
  }
}
