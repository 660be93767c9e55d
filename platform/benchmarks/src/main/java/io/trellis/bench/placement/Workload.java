package io.trellis.bench.placement;

import java.time.Duration;
import java.util.Locale;

/**
 * One cell of the placement grid: {@code hosts} agents of {@link Shape#HOST}; {@code roles}
 * roles of {@code frameworksPerRole} packing frameworks each (the peers' queues x apps); tasks
 * of {@link Shape#TASK} submitted in batches of {@code batch} until {@code fill} of the cpus is
 * asked for, or only the first {@code maxBatches} batches (0: the whole stream).
 *
 * <p>Each batch is {@code appsPerBatch} new apps of {@code batch / appsPerBatch} instances,
 * interleaved as Fenzo's S2 does; app {@code j} of batch {@code b} belongs to framework {@code
 * (b * appsPerBatch + j) mod frameworks}. With {@code uniqueHost} no two instances of an app
 * may share an agent. {@code offers} says what a framework does with offers it has no task for.
 */
record Workload(int hosts, int roles, int frameworksPerRole, boolean uniqueHost, OfferUse offers,
    int batch, int appsPerBatch, double fill, int maxBatches, Duration declineFilter) {
  static final int BATCH = 200;
  static final int APPS_PER_BATCH = 50;
  static final double FILL = 0.90;

  /** What a framework does with the offers it did not use for a task. */
  enum OfferUse {
    /** Keeps them for later tasks, as Fenzo keeps its leases (offers do not time out). */
    HOLD,
    /** Declines them with a refuse filter and revives when new tasks arrive, as Marathon does. */
    DECLINE
  }

  Workload {
    if (hosts <= 0 || roles <= 0 || frameworksPerRole <= 0) {
      throw new IllegalArgumentException("hosts, roles and frameworks per role must be > 0, got "
          + hosts + ", " + roles + ", " + frameworksPerRole);
    }
    if (batch <= 0 || appsPerBatch <= 0 || batch % appsPerBatch != 0) {
      throw new IllegalArgumentException("batch " + batch + " must be a positive multiple of "
          + "apps per batch " + appsPerBatch);
    }
    if (!(fill > 0 && fill <= 1)) {
      throw new IllegalArgumentException("fill must be in (0, 1], got " + fill);
    }
    if (maxBatches < 0) {
      throw new IllegalArgumentException("max batches must be >= 0, got " + maxBatches);
    }
  }

  static Workload of(int hosts, int roles, int frameworksPerRole, boolean uniqueHost) {
    return new Workload(hosts, roles, frameworksPerRole, uniqueHost, OfferUse.HOLD, BATCH,
        APPS_PER_BATCH, FILL, 0, Duration.ofSeconds(5));
  }

  Workload window(int batches) {
    return new Workload(hosts, roles, frameworksPerRole, uniqueHost, offers, batch, appsPerBatch,
        fill, batches, declineFilter);
  }

  Workload offers(OfferUse use) {
    return new Workload(hosts, roles, frameworksPerRole, uniqueHost, use, batch, appsPerBatch,
        fill, maxBatches, declineFilter);
  }

  int frameworks() {
    return roles * frameworksPerRole;
  }

  int instancesPerApp() {
    return batch / appsPerBatch;
  }

  /** Tasks asked for: {@code fill} of the cluster's cpus, cut to the window if there is one. */
  int tasks() {
    long perHost = Shape.HOST.fits(Shape.TASK);
    long full = Math.round(fill * hosts * Shape.HOST.cpus() / Shape.TASK.cpus());
    full = Math.min(full, perHost * hosts);
    return (int) (maxBatches > 0 ? Math.min(full, (long) maxBatches * batch) : full);
  }

  int batches() {
    return (tasks() + batch - 1) / batch;
  }

  int appOf(int task) {
    return task / batch * appsPerBatch + task % batch % appsPerBatch;
  }

  /** Apps of the stream (a last, partial batch still starts all of its apps). */
  int apps() {
    return batches() * appsPerBatch;
  }

  int frameworkOfApp(int app) {
    return app % frameworks();
  }

  String role(int framework) {
    return "q" + framework / frameworksPerRole;
  }

  /** e.g. {@code 10000 agents, 1 x 100, unique host, first 3 batches}. */
  String label() {
    return String.format(Locale.ROOT, "%d agents, %d x %d, %s%s%s", hosts, roles,
        frameworksPerRole, uniqueHost ? "unique host" : "no constraint",
        offers == OfferUse.DECLINE ? ", declining" : "",
        maxBatches > 0 ? ", first " + maxBatches + " batches" : "");
  }
}
