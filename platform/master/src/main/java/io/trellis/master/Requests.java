package io.trellis.master;

import io.trellis.allocator.Demand;
import io.trellis.allocator.DemandStatus;
import io.trellis.api.GangState;
import io.trellis.api.SchedulerEvent;
import io.trellis.allocator.MemberConstraint;
import io.trellis.api.ErrorBody.FieldError;
import io.trellis.api.SchedulerCall;
import io.trellis.core.resource.InvalidResourceException;
import io.trellis.core.resource.Resource;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * REQUEST: checks every demand of a framework's call, naming each bad field by its path, and
 * only then hands them to the allocator. A call with any bad field changes nothing.
 */
final class Requests {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Requests.class);
  /** The most demands one framework may state. */
  static final int MAX_DEMANDS = 1000;
  /** The most members of one demand. */
  static final int MAX_COUNT = 100_000;
  static final int MAX_CONSTRAINTS = 32;
  static final int MAX_ID = 256;
  static final int MAX_RESOURCES_TEXT = 4096;
  /** The largest amount of one scalar of one member (a billion cpus or MB). */
  static final double MAX_AMOUNT = 1e9;
  /** The longest gang timeout: a week. */
  static final double MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

  private final Master master;

  Requests(Master master) {
    this.master = master;
  }

  void request(FrameworkState f, SchedulerCall.Request request) {
    List<FieldError> problems = new ArrayList<>();
    List<Demand> demands = check(f, request, problems);
    if (problems.isEmpty()) {
      for (int i = 0; i < demands.size(); i++) {
        Demand d = demands.get(i);
        if (d.gang() != null && master.recovered()) {
          String refusal = master.allocator.gangRefusal(d.role(), d.member(), d.gang().minMember(), d.constraints());
          if (refusal != null) {
            problems.add(new FieldError("request.demands[" + i + "].gang.minMember", refusal));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ApiException(422, "invalid request: " + problems.get(0).path() + " " + problems.get(0).message(),
          problems);
    }
    try {
      master.allocator.request(f.id, demands);
    } catch (IllegalArgumentException e) {
      throw new ApiException(422, "invalid request: " + e.getMessage(),
          List.of(new FieldError("request.demands", e.getMessage())));
    }
    refreshMetrics();
    log.debug("framework {} waits for {} demands", f.id, demands.size());
  }

  /**
   * A gang changed: one that stopped waiting without an offer (EXPIRED, FAILED) is reported to
   * its framework in a GANG event; the gang metrics follow every change.
   */
  void changed(DemandStatus s) {
    if (s.state() == DemandStatus.State.EXPIRED || s.state() == DemandStatus.State.FAILED) {
      FrameworkState f = master.frameworks.get(s.framework());
      if (f != null) {
        f.send(SchedulerEvent.gang(new SchedulerEvent.GangUpdate(s.demand().id(), s.demand().role(),
            GangState.valueOf(s.state().name()), s.membersFitting(), s.reason())));
      }
      log.info("gang {} of framework {} {}: {}", s.demand().id(), s.framework(), s.state(), s.reason());
    }
    if (s.state() == DemandStatus.State.OFFERED || s.state() == DemandStatus.State.EXPIRED
        || s.state() == DemandStatus.State.FAILED) {
      master.metrics.gangWait(s.state().name().toLowerCase(java.util.Locale.ROOT),
          Duration.between(s.since(), master.clock.instant()));
    }
    refreshMetrics();
  }

  /** Hands the allocator's held resources and gang counts to the metrics (read by the scrape thread). */
  void refreshMetrics() {
    master.metrics.gangs(master.allocator.heldByRole(), master.allocator.gangCounts());
  }

  private List<Demand> check(FrameworkState f, SchedulerCall.Request request, List<FieldError> problems) {
    if (request == null || request.demands() == null) {
      problems.add(new FieldError(request == null ? "request" : "request.demands",
          "is required (an empty list of demands means nothing waits)"));
      return List.of();
    }
    List<SchedulerCall.Demand> in = request.demands();
    if (in.size() > MAX_DEMANDS) {
      problems.add(new FieldError("request.demands", "holds " + in.size() + " demands, more than " + MAX_DEMANDS));
      return List.of();
    }
    List<Demand> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < in.size(); i++) {
      String at = "request.demands[" + i + "]";
      SchedulerCall.Demand d = in.get(i);
      if (d == null) {
        problems.add(new FieldError(at, "is null"));
        continue;
      }
      int before = problems.size();
      if (d.id() == null || d.id().isBlank() || d.id().length() > MAX_ID) {
        problems.add(new FieldError(at + ".id", "must be 1 to " + MAX_ID + " characters, got "
            + (d.id() == null ? "none" : d.id().length() + " characters")));
      } else if (seen.putIfAbsent(d.id(), i) != null) {
        problems.add(new FieldError(at + ".id", "'" + d.id() + "' repeats request.demands[" + seen.get(d.id()) + "].id"));
      }
      if (d.role() == null || !f.info.roles().contains(d.role())) {
        problems.add(new FieldError(at + ".role", "unknown role '" + d.role() + "': framework " + f.id
            + " subscribed to " + f.info.roles()));
      }
      Resources member = member(d.resources(), at + ".resources", problems);
      if (d.count() < 1 || d.count() > MAX_COUNT) {
        problems.add(new FieldError(at + ".count", "must be 1 to " + MAX_COUNT + ", got " + d.count()));
      }
      List<MemberConstraint> constraints = constraints(d.constraints(), at + ".constraints", problems);
      Demand.Gang gang = gang(d, at + ".gang", problems);
      if (problems.size() == before) {
        out.add(new Demand(d.id(), d.role(), member, d.count(), constraints, gang));
      }
    }
    return out;
  }

  private static Resources member(String text, String at, List<FieldError> problems) {
    if (text == null || text.isBlank() || text.length() > MAX_RESOURCES_TEXT) {
      problems.add(new FieldError(at, "must be one member's resources such as cpus:1;mem:512 (at most "
          + MAX_RESOURCES_TEXT + " characters)"));
      return null;
    }
    Resources r;
    try {
      r = Resources.parse(text);
    } catch (InvalidResourceException e) {
      problems.add(new FieldError(at, e.getMessage()));
      return null;
    }
    for (Resource e : r.entries()) {
      if (!e.isScalar() || e.isReserved()) {
        problems.add(new FieldError(at, "'" + e + "' is not an unreserved scalar: a member is scalars only"));
        return null;
      }
      if (e.millis() > MAX_AMOUNT * 1000) {
        problems.add(new FieldError(at, e.name() + " " + e.millis() / 1000.0
            + " is more than one member can need (at most " + (long) MAX_AMOUNT + ")"));
        return null;
      }
    }
    if (r.scalars().isEmpty() || r.entries().stream().allMatch(e -> e.millis() == 0)) {
      problems.add(new FieldError(at, "needs at least one scalar above 0, got '" + text + "'"));
      return null;
    }
    return r;
  }

  private static List<MemberConstraint> constraints(List<List<String>> in, String at, List<FieldError> problems) {
    if (in == null) {
      return List.of();
    }
    if (in.size() > MAX_CONSTRAINTS) {
      problems.add(new FieldError(at, "holds " + in.size() + " constraints, more than " + MAX_CONSTRAINTS));
      return List.of();
    }
    List<MemberConstraint> out = new ArrayList<>();
    for (int j = 0; j < in.size(); j++) {
      try {
        out.add(MemberConstraint.parse(in.get(j)));
      } catch (IllegalArgumentException e) {
        problems.add(new FieldError(at + "[" + j + "]", e.getMessage()));
      }
    }
    return out;
  }

  private static Demand.Gang gang(SchedulerCall.Demand d, String at, List<FieldError> problems) {
    SchedulerCall.Gang g = d.gang();
    if (g == null) {
      return null;
    }
    boolean ok = true;
    if (g.minMember() < 1 || g.minMember() > d.count()) {
      problems.add(new FieldError(at + ".minMember", "must be 1 to the demand's count (" + d.count() + "), got "
          + g.minMember()));
      ok = false;
    }
    Double t = g.timeoutSeconds();
    if (t != null && !(t >= 0 && t <= MAX_TIMEOUT_SECONDS)) {
      problems.add(new FieldError(at + ".timeoutSeconds", "must be a number of seconds from 0 to "
          + (long) MAX_TIMEOUT_SECONDS + ", got " + t));
      ok = false;
    }
    if (!ok) {
      return null;
    }
    return new Demand.Gang(g.minMember(), t == null ? null : Duration.ofMillis(Math.round(t * 1000)),
        g.mode() == SchedulerCall.GangMode.HARD);
  }
}
