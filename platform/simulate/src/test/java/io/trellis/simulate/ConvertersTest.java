package io.trellis.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.resource.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The converters read the sample files written for them, and skip (and count) the rows they cannot use. */
class ConvertersTest {
  static final Resources MACHINE = Resources.parse("cpus:8;mem:32768");

  static Path sample(String name) throws Exception {
    return Path.of(ConvertersTest.class.getResource("/traces/" + name).toURI());
  }

  @Test
  void googleTaskEventsBecomeOneGroupPerTaskScaledToTheMachineWithTheRoleOfItsPriorityBand() throws Exception {
    Trace trace = GoogleTrace.read(sample("google-task-events.csv"), MACHINE);

    assertEquals(List.of(
        new TaskGroup(0, "production", "userA", Resources.parse("cpus:0.5;mem:1042.022"), 1, 600_000, 0, 9),
        new TaskGroup(0, "production", "userA", Resources.parse("cpus:0.5;mem:1042.022"), 1, 900_000, 0, 9),
        new TaskGroup(5_000, "free", "userB", Resources.parse("cpus:1;mem:2048"), 1, 60_000, 0, 0)), trace.groups());
    assertEquals(5, trace.skipped().count(), () -> "skipped: " + trace.skipped().firstReasons());
    List<String> why = trace.skipped().firstReasons();
    assertTrue(why.get(0).startsWith("row 11: time is not a whole number"), why::toString);
    assertTrue(why.get(1).contains("cpu request is normalised to the largest machine"), why::toString);
    assertTrue(why.get(2).contains("event type must be from 0 to 8, got 12"), why::toString);
    assertTrue(why.get(3).contains("3 columns, task_events has 13"), why::toString);
    assertTrue(why.get(4).contains("task 8888/0 has no SCHEDULE event"), why::toString);
  }

  @Test
  void alibabaBatchTasksBecomeGroupsOfTheirInstancesAndUnfinishedOrBadTasksAreSkipped() throws Exception {
    Trace trace = AlibabaTrace.read(sample("alibaba-batch-task.csv"), MACHINE);

    assertEquals(List.of(
        new TaskGroup(0, "type1", "j_1", Resources.parse("cpus:1;mem:160.563"), 4, 109_000, 0, 0),
        new TaskGroup(117_000, "type2", "j_1", Resources.parse("cpus:0.5;mem:65.536"), 2, 60_000, 0, 0),
        new TaskGroup(587_000, "type12", "j_6", Resources.parse("cpus:1;mem:491.52"), 10, 100_000, 0, 0)),
        trace.groups());
    assertEquals(4, trace.skipped().count());
    List<String> why = trace.skipped().firstReasons();
    assertEquals("row 3: status Running has no end time", why.get(0));
    assertEquals("row 4: end_time 157400 is before start_time 157500", why.get(1));
    assertEquals("row 5: plan_cpu is not a number: 'abc'", why.get(2));
    assertTrue(why.get(3).startsWith("row 6: plan_cpu must be >= 0 and plan_mem from 0 to 100"), why::toString);
  }

  @Test
  void trellisTraceRowsWithAbsurdValuesAreSkippedWithTheirReasonAndTheRestIsRead() throws Exception {
    Trace trace = TrellisTrace.read(sample("bad-rows.csv"));

    assertEquals(2, trace.groups().size(), trace.groups()::toString);
    assertEquals(6, trace.skipped().count(), () -> trace.skipped().firstReasons().toString());
    List<String> why = trace.skipped().firstReasons();
    assertTrue(why.get(0).startsWith("row 3: submit time must be from 0"), why::toString);
    assertTrue(why.get(1).startsWith("row 4: duration must be from 0"), why::toString);
    assertEquals("row 5: cpus is not a finite number: '1e400'", why.get(2));
    assertEquals("row 6: count must be from 1 to 1000000, got 0", why.get(3));
    assertTrue(why.get(4).startsWith("row 7: 300"), why::toString);
  }

  @Test
  void aTraceWithoutHeaderOrAMissingFileIsRefusedWithOneClearMessage(@TempDir Path dir) throws Exception {
    Path headless = Files.writeString(dir.resolve("t.csv"), "0,a,f,1,1024,1,10,0,0\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrellisTrace.read(headless));
    assertTrue(e.getMessage().contains("no header row (row 1: the header row lacks the column submit_s"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GoogleTrace.read(dir.resolve("none.csv"), MACHINE));
    assertEquals("no such file: " + dir.resolve("none.csv"), e.getMessage());
  }

  @Test
  void aWrittenTraceReadsBackTheSame(@TempDir Path dir) throws Exception {
    Trace small = TrellisTrace.read(sample("small.csv"));
    Path copy = dir.resolve("copy.csv");
    TrellisTrace.write(small, copy);
    assertEquals(small.groups(), TrellisTrace.read(copy).groups());
  }
}
