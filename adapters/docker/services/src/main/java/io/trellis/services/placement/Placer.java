package io.trellis.services.placement;

import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resource;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Role;
import io.trellis.services.app.AppDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether one instance of an app fits what is left of an offer: role, resources
 * (cpus, mem, disk, gpus, host ports), then the app's constraints. The first refusal is the
 * answer, with its reason.
 */
public final class Placer {
  private Placer() {}

  /** A {@link Fit} or a {@link Veto}. */
  public record Result(Fit fit, Veto veto) {
    public boolean placed() {
      return fit != null;
    }
  }

  public static Result place(AppDefinition app, List<Constraint> constraints, Spot spot, String offerRole,
      Resources remaining, List<Spot> placed) {
    if (app.role() != null && !app.role().equals("*") && !app.role().equals(offerRole)) {
      return veto("UnfulfilledRole", "the app's role is " + app.role() + ", the offer's " + offerRole);
    }
    Veto short1 = scalar(remaining, Resources.CPUS, app.cpus(), "InsufficientCpus");
    Veto short2 = short1 != null ? short1 : scalar(remaining, Resources.MEM, app.mem(), "InsufficientMemory");
    Veto short3 = short2 != null ? short2 : scalar(remaining, Resources.DISK, app.disk(), "InsufficientDisk");
    Veto short4 = short3 != null ? short3 : scalar(remaining, Resources.GPUS, app.gpus(), "InsufficientGpus");
    if (short4 != null) {
      return new Result(null, short4);
    }
    Ranges free = remaining.ranges(Resources.PORTS);
    List<Integer> asked = app.requestedHostPorts();
    List<Integer> ports = new ArrayList<>(asked.size());
    Ranges taken = Ranges.empty();
    for (int p : asked) {
      if (p != 0) {
        if (!free.isEmpty() && (p < free.begin(0) || p > free.end(free.intervalCount() - 1))) {
          return veto("InsufficientPorts", "host port " + p + " is outside the agent's ports: " + spot.hostname()
              + " offers ports " + free + "; ask for a port in the agents' range or for any port (0)");
        }
        if (!free.contains(p) || taken.contains(p)) {
          return veto("InsufficientPorts", "host port " + p + " is not free on " + spot.hostname());
        }
        taken = taken.plus(Ranges.of(p, p));
      }
    }
    Ranges dynamic = free.minus(taken);
    int needed = (int) asked.stream().filter(p -> p == 0).count();
    if (dynamic.size() < needed) {
      return veto("InsufficientPorts", "needs " + asked.size() + " host ports, " + spot.hostname()
          + " has " + free.size() + " free");
    }
    Ranges picked = dynamic.first(needed);
    List<Long> pickedList = new ArrayList<>();
    for (int i = 0; i < picked.intervalCount(); i++) {
      for (long v = picked.begin(i); v <= picked.end(i); v++) {
        pickedList.add(v);
      }
    }
    int next = 0;
    for (int p : asked) {
      ports.add(p != 0 ? p : pickedList.get(next++).intValue());
    }
    taken = taken.plus(picked);
    for (Constraint c : constraints) {
      String why = c.veto(spot, placed);
      if (why != null) {
        return veto("UnfulfilledConstraint", "constraint " + why);
      }
    }
    List<Resource> take = new ArrayList<>();
    add(take, Resources.CPUS, app.cpus());
    add(take, Resources.MEM, app.mem());
    add(take, Resources.DISK, app.disk());
    add(take, Resources.GPUS, app.gpus());
    if (!taken.isEmpty()) {
      take.add(Resource.ranges(Resources.PORTS, Role.ANY, taken));
    }
    return new Result(new Fit(Resources.of(take), ports), null);
  }

  private static Result veto(String kind, String reason) {
    return new Result(null, new Veto(kind, reason));
  }

  private static Veto scalar(Resources remaining, String name, Number wanted, String kind) {
    double want = wanted == null ? 0 : wanted.doubleValue();
    long wantMillis = Math.round(want * 1000);
    if (wantMillis <= 0) {
      return null;
    }
    long have = remaining.millis(name);
    if (have >= wantMillis) {
      return null;
    }
    return new Veto(kind, "needs " + name + " " + format(want) + ", the offer has " + format(have / 1000.0));
  }

  private static void add(List<Resource> take, String name, Number amount) {
    if (amount != null && Math.round(amount.doubleValue() * 1000) > 0) {
      take.add(Resource.scalar(name, Role.ANY, amount.doubleValue()));
    }
  }

  static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
