package io.trellis.jobs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trellis.api.Json;
import io.trellis.jobs.job.Job;
import io.trellis.jobs.run.JobStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The dependency index: children by parent, and which of them are ready to run. */
class DependenciesTest {
  private final Dependencies deps = new Dependencies();
  private final Map<String, JobEntry> entries = new HashMap<>();

  private JobEntry add(Job job) {
    JobEntry e = new JobEntry(job, null, JobStatus.fresh(0));
    JobEntry old = entries.put(job.name(), e);
    deps.put(job, old == null ? null : old.job);
    return e;
  }

  private List<String> ready(String parent) {
    return deps.ready(parent, entries::get).stream().map(JobEntry::name).toList();
  }

  private static Job disabled(String name, String parent) throws Exception {
    return Json.mapper().readValue("{\"name\":\"" + name + "\",\"command\":\"true\",\"parents\":[\"" + parent
        + "\"],\"disabled\":true}", Job.class);
  }

  @Test
  void aChildIsReadyOnceEveryParentSucceededSinceItLastRan() {
    JobEntry a = add(Jobs.scheduled("a", "R/2026-01-01T00:00:00Z/PT1H"));
    JobEntry b = add(Jobs.scheduled("b", "R/2026-01-01T00:00:00Z/PT1H"));
    JobEntry c = add(Jobs.dependent("c", "a", "b"));
    add(Jobs.dependent("d", "a"));

    a.status = a.status.succeeded(10);
    assertEquals(List.of("d"), ready("a"), "c still waits for b");
    b.status = b.status.succeeded(20);
    assertEquals(List.of("c"), ready("b"));
    c.status = c.status.triggered(30);
    assertEquals(List.of(), ready("b"), "c ran after both successes: it waits for new ones");
    a.status = a.status.succeeded(40);
    b.status = b.status.succeeded(50);
    assertEquals(List.of("c", "d"), ready("a"), "children in name order");
  }

  @Test
  void onlyTheChildrenOfTheParentAreLookedAt() {
    add(Jobs.scheduled("a", "R/2026-01-01T00:00:00Z/PT1H")).status = JobStatus.fresh(0).succeeded(5);
    add(Jobs.scheduled("x", "R/2026-01-01T00:00:00Z/PT1H")).status = JobStatus.fresh(0).succeeded(5);
    add(Jobs.dependent("after-x", "x"));
    assertEquals(List.of(), ready("a"));
    assertEquals(List.of("after-x"), ready("x"));
  }

  @Test
  void aDisabledChildIsNeverReady() throws Exception {
    add(Jobs.scheduled("a", "R/2026-01-01T00:00:00Z/PT1H")).status = JobStatus.fresh(0).succeeded(5);
    add(disabled("off", "a"));
    assertEquals(List.of(), ready("a"));
  }

  @Test
  void changingOrRemovingAJobMovesItsEdges() {
    add(Jobs.scheduled("a", "R/2026-01-01T00:00:00Z/PT1H")).status = JobStatus.fresh(0).succeeded(5);
    add(Jobs.scheduled("b", "R/2026-01-01T00:00:00Z/PT1H")).status = JobStatus.fresh(0).succeeded(5);
    add(Jobs.dependent("c", "a"));
    assertEquals(Optional.of("c"), deps.anyChildOf("a"));

    add(Jobs.dependent("c", "b"));
    assertEquals(Optional.empty(), deps.anyChildOf("a"), "the edge to the old parent is gone");
    assertEquals(List.of("c"), ready("b"));

    deps.remove(entries.remove("c").job);
    assertEquals(Optional.empty(), deps.anyChildOf("b"));
    assertEquals(List.of(), ready("b"));
  }
}
