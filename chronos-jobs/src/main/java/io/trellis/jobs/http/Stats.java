package io.trellis.jobs.http;

import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.RunState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Duration statistics of a job's successful runs in its history, in milliseconds. */
final class Stats {
  private Stats() {}

  static Map<String, Object> of(List<Run> runs) {
    List<Long> durations = new ArrayList<>();
    for (Run r : runs) {
      if (r.state() == RunState.SUCCEEDED && r.started() != null && r.finished() != null) {
        durations.add(r.finished() - r.started());
      }
    }
    durations.sort(null);
    Map<String, Object> histogram = new LinkedHashMap<>();
    histogram.put("count", durations.size());
    histogram.put("mean", durations.isEmpty() ? 0.0 : durations.stream().mapToLong(Long::longValue).average().orElse(0));
    histogram.put("median", percentile(durations, 50));
    histogram.put("75thPercentile", percentile(durations, 75));
    histogram.put("95thPercentile", percentile(durations, 95));
    histogram.put("99thPercentile", percentile(durations, 99));
    histogram.put("unit", "ms");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("histogram", histogram);
    out.put("taskStatHistory", runs.stream().map(RunView::of).toList());
    return out;
  }

  /** Nearest rank; 0 for no data. */
  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
