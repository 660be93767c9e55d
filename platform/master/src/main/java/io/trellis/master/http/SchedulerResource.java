package io.trellis.master.http;

import io.trellis.api.SchedulerCall;
import io.trellis.master.ApiException;
import io.trellis.master.EventSink;
import io.trellis.master.FrameworkHandle;
import io.trellis.master.Master;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import io.trellis.security.Action;
import io.trellis.security.RequestSecurity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * The scheduler API: {@code POST /api/v1/scheduler}. SUBSCRIBE answers with one streaming
 * response of newline-delimited JSON events and a {@code Trellis-Stream-Id} header; every other
 * call carries that header and answers 202.
 */
@Path("/api/v1/scheduler")
public final class SchedulerResource {
  public static final String STREAM_HEADER = "Trellis-Stream-Id";
  private final io.trellis.master.MasterRef ref;

  public SchedulerResource(io.trellis.master.MasterRef ref) {
    this.ref = ref;
  }

  private Master master() {
    return ref.get();
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response call(String body, @HeaderParam(STREAM_HEADER) String streamId,
      @Context ContainerRequestContext request) {
    SchedulerCall call = Bodies.parse(body, SchedulerCall.class);
    if (call.type() == null) {
      throw new ApiException(400, "the call has no 'type': one of " + List.of(SchedulerCall.Type.values()));
    }
    RequestSecurity.describe(request, call.type().name());
    if (call.type() == SchedulerCall.Type.SUBSCRIBE) {
      if (call.subscribe() != null && call.subscribe().frameworkInfo() != null) {
        for (String role : call.subscribe().frameworkInfo().roles()) {
          RequestSecurity.require(request, Action.REGISTER_FRAMEWORK, role);
        }
      }
      io.trellis.security.Principal caller = RequestSecurity.principal(request);
      return subscribe(call, caller == null ? null : caller.name());
    }
    if (call.type() == SchedulerCall.Type.ACCEPT && call.accept() != null && call.accept().launch() != null) {
      // Tasks without a user run as the agent's default (unprivileged) user.
      for (io.trellis.api.TaskSpec task : call.accept().launch()) {
        if (task != null && task.command() != null && task.command().user() != null) {
          RequestSecurity.require(request, Action.RUN_TASKS, task.command().user());
        }
      }
    }
    if (ROUTINE.contains(call.type())) {
      RequestSecurity.routine(request);
    }
    if (streamId == null) {
      throw new ApiException(400, "the " + STREAM_HEADER + " header is missing: send the id SUBSCRIBE returned");
    }
    java.util.Map<String, String> refused = LaunchPolicy.refusals(request, call);
    Bodies.await(master().loop().submit(() -> {
      master().handle(call, streamId, refused);
      return null;
    }));
    return Response.accepted().build();
  }

  /** Calls a framework sends many times a minute: audited at DEBUG. */
  private static final java.util.Set<SchedulerCall.Type> ROUTINE = java.util.EnumSet.of(SchedulerCall.Type.DECLINE,
      SchedulerCall.Type.ACKNOWLEDGE, SchedulerCall.Type.RECONCILE, SchedulerCall.Type.SUPPRESS, SchedulerCall.Type.REVIVE,
      SchedulerCall.Type.REQUEST);

  /** The longest framework name, user or hostname kept. */
  private static final int MAX_TEXT = 1024;
  /** The longest failover timeout: a year. */
  private static final double MAX_FAILOVER_SECONDS = 365 * 24 * 3600;

  /** Every field of a framework's info that cannot be stored or acted on, by path. */
  private static List<io.trellis.api.ErrorBody.FieldError> problems(io.trellis.api.FrameworkInfo info) {
    List<io.trellis.api.ErrorBody.FieldError> problems = new java.util.ArrayList<>();
    String at = "subscribe.frameworkInfo.";
    if (info.id() != null && io.trellis.core.id.DirectoryName.problem(info.id()) != null) {
      problems.add(new io.trellis.api.ErrorBody.FieldError(at + "id", io.trellis.core.id.DirectoryName.problem(info.id())));
    }
    java.util.Map<String, String> texts = new java.util.LinkedHashMap<>();
    texts.put("name", info.name());
    texts.put("user", info.user());
    texts.put("hostname", info.hostname());
    texts.put("webuiUrl", info.webuiUrl());
    texts.forEach((field, text) -> {
      if (text != null && text.length() > MAX_TEXT) {
        problems.add(new io.trellis.api.ErrorBody.FieldError(at + field, "is " + text.length()
            + " characters long, more than " + MAX_TEXT));
      }
    });
    String web = info.webuiUrl();
    if (web != null && web.length() <= MAX_TEXT && !web.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+(:[0-9]{1,5})?(/[^\\s]*)?")) {
      problems.add(new io.trellis.api.ErrorBody.FieldError(at + "webuiUrl",
          "must be an http:// or https:// address such as http://host:8080, got '" + web + "'"));
    }
    Double failover = info.failoverTimeoutSeconds();
    if (failover != null && !(failover >= 0 && failover <= MAX_FAILOVER_SECONDS)) {
      problems.add(new io.trellis.api.ErrorBody.FieldError(at + "failoverTimeoutSeconds",
          "must be a number of seconds from 0 to " + (long) MAX_FAILOVER_SECONDS + ", got " + failover));
    }
    Integer priority = info.priority();
    if (priority != null && (priority < io.trellis.api.FrameworkInfo.MIN_PRIORITY
        || priority > io.trellis.api.FrameworkInfo.MAX_PRIORITY)) {
      problems.add(new io.trellis.api.ErrorBody.FieldError(at + "priority", "must be an integer from "
          + io.trellis.api.FrameworkInfo.MIN_PRIORITY + " to " + io.trellis.api.FrameworkInfo.MAX_PRIORITY + ", got "
          + priority));
    }
    return problems;
  }

  private Response subscribe(SchedulerCall call, String principal) {
    if (call.subscribe() == null || call.subscribe().frameworkInfo() == null) {
      throw new ApiException(422, "SUBSCRIBE needs subscribe.frameworkInfo",
          List.of(new io.trellis.api.ErrorBody.FieldError("subscribe.frameworkInfo", "is required")));
    }
    for (String role : call.subscribe().frameworkInfo().roles()) {
      try {
        io.trellis.core.role.Role.validate(role);
      } catch (IllegalArgumentException e) {
        throw new ApiException(422, e.getMessage(),
            List.of(new io.trellis.api.ErrorBody.FieldError("subscribe.frameworkInfo.roles", e.getMessage())));
      }
    }
    List<io.trellis.api.ErrorBody.FieldError> problems = problems(call.subscribe().frameworkInfo());
    if (!problems.isEmpty()) {
      throw new ApiException(422, "invalid subscribe.frameworkInfo: " + problems.get(0).path() + " "
          + problems.get(0).message(), problems);
    }
    ChunkedOutput<String> out = new ChunkedOutput<>(String.class, "");
    EventSink sink = new EventStream(out, master().loop());
    FrameworkHandle handle = Bodies.await(master().loop().submit(
        () -> master().subscribeHandle(call.subscribe().frameworkInfo(), sink, principal)));
    return Response.ok(out, "application/x-ndjson").header(STREAM_HEADER, handle.streamId())
        .header("Trellis-Framework-Id", handle.frameworkId()).build();
  }
}
