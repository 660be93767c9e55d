package io.trellis.simulate;

import io.trellis.core.resource.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic trace, the same for the same settings and seed: for each role, groups arrive as a
 * Poisson process of {@code groupsPerMinute}, from two frameworks, with shapes from a small
 * menu, 1 to 16 tasks, exponentially distributed durations of mean {@code meanDurationSeconds},
 * priorities 0–3, and a share {@code gangShare} of the groups of two or more tasks run as gangs.
 */
public record Generator(long seed, List<String> roles, double minutes, double groupsPerMinute,
    double meanDurationSeconds, double gangShare) {
  static final List<Resources> SHAPES = List.of(Resources.parse("cpus:0.5;mem:1024"),
      Resources.parse("cpus:1;mem:2048"), Resources.parse("cpus:2;mem:4096"), Resources.parse("cpus:4;mem:16384"));

  public Generator {
    roles = List.copyOf(roles);
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("--gen-roles needs at least one role");
    }
    roles.forEach(io.trellis.core.role.Role::validate);
    check("--gen-minutes", minutes, 1e-3, 10 * 365 * 24 * 60);
    check("--gen-rate", groupsPerMinute, 1e-6, 1e5);
    check("--gen-duration", meanDurationSeconds, 1e-3, 1e7);
    check("--gen-gangs", gangShare, 0, 1);
    if (minutes * groupsPerMinute * roles.size() > 5e6) {
      throw new IllegalArgumentException("that is about " + (long) (minutes * groupsPerMinute * roles.size())
          + " groups; at most 5000000: lower --gen-minutes or --gen-rate");
    }
  }

  private static void check(String name, double v, double min, double max) {
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", got " + v);
    }
  }

  public Trace generate() {
    SplittableRandom random = new SplittableRandom(seed);
    List<TaskGroup> groups = new ArrayList<>();
    long end = (long) (minutes * 60_000);
    for (String role : roles) {
      double at = 0;
      while (true) {
        at += -Math.log(1 - random.nextDouble()) * 60_000 / groupsPerMinute;
        if (at >= end) {
          break;
        }
        int count = 1 + (int) Math.min(15, -Math.log(1 - random.nextDouble()) * 3);
        long duration = Math.max(1000, Math.round(-Math.log(1 - random.nextDouble()) * meanDurationSeconds * 1000));
        boolean gang = count > 1 && random.nextDouble() < gangShare;
        groups.add(new TaskGroup((long) at, role, role + "-fw" + (1 + random.nextInt(2)),
            SHAPES.get(random.nextInt(SHAPES.size())), count, Math.min(duration, TaskGroup.MAX_MILLIS),
            gang ? count : 0, random.nextInt(4)));
      }
    }
    return new Trace(groups, new Skipped());
  }
}
