package io.trellis.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Garbage-collection pauses seen by the JVM's collector beans, for a benchmark to print next to
 * its timings. Each collection the beans report (G1's young and mixed pauses and full
 * collections; Parallel and Serial collections; ZGC's and Shenandoah's pause beans where the JDK
 * has them) is kept with its start and duration in milliseconds of JVM uptime, at the beans'
 * one-millisecond resolution. Beans that report concurrent cycles rather than pauses (ZGC's and
 * Shenandoah's "Cycles") are left out.
 */
final class GcPauses {
  /** One collection: when it started and how long it took, in milliseconds of JVM uptime. */
  record Pause(String collector, long start, long duration) {}

  /** The pauses of one stretch of the run. */
  record Window(int count, long maxMillis, long totalMillis) {
    @Override
    public String toString() {
      return String.format("%4d %7d %8d", count, maxMillis, totalMillis);
    }
  }

  private final List<Pause> pauses = new ArrayList<>();
  private final List<GarbageCollectorMXBean> beans = new ArrayList<>();

  GcPauses() {
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (bean.getName().endsWith("Cycles") || !(bean instanceof NotificationEmitter emitter)) {
        continue;
      }
      beans.add(bean);
      emitter.addNotificationListener((notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
          var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
          synchronized (pauses) {
            pauses.add(new Pause(info.getGcName(), info.getGcInfo().getStartTime(),
                info.getGcInfo().getDuration()));
          }
        }
      }, null, null);
    }
  }

  /** The collector beans counted, by name. */
  List<String> collectors() {
    return beans.stream().map(GarbageCollectorMXBean::getName).toList();
  }

  /** Milliseconds of JVM uptime now: the bounds of a window. */
  static long now() {
    return ManagementFactory.getRuntimeMXBean().getUptime();
  }

  /**
   * The pauses that started in {@code [from, to]}. Notifications arrive on another thread after
   * the collection; this waits up to a second for every collection the beans have counted.
   */
  Window between(long from, long to) {
    long counted = beans.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      synchronized (pauses) {
        if (pauses.size() >= counted) {
          break;
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int count = 0;
    long max = 0;
    long total = 0;
    synchronized (pauses) {
      for (Pause p : pauses) {
        if (p.start() >= from && p.start() <= to) {
          count++;
          max = Math.max(max, p.duration());
          total += p.duration();
        }
      }
    }
    return new Window(count, max, total);
  }
}
