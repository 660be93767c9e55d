package io.trellis.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The jobs framework killed with SIGKILL at scheduled instants and started again: every slot of
 * the schedule runs exactly once, none twice, none lost.
 */
class JobsFailoverTest {
  private static final Duration PERIOD = Duration.ofSeconds(3);

  @Test
  void killedAndRestartedAtScheduledInstantsEverySlotRunsExactlyOnce() throws Exception {
    try (Cluster cluster = new Cluster("cpus:8;mem:8192")) {
      Path log = cluster.dir.resolve("jobs.log");
      Path out = cluster.dir.resolve("slots.txt");
      JobsJvm jvm = new JobsJvm(cluster.zkSpec, log);
      Api api = new Api(jvm.endpoint());
      try {
        awaitLeader(api, log);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
        api.post("/v1/scheduler/iso8601", "{\"name\":\"tick\",\"schedule\":\"R/" + start + "/PT3S\","
            + "\"command\":\"echo $TRELLIS_JOB_SLOT >> " + out + "\",\"concurrencyPolicy\":\"ALLOW\","
            + "\"epsilon\":\"PT5M\",\"retries\":0,\"cpus\":0.1,\"mem\":16}");
        api.awaitHistory("tick", h -> Api.count(h, "SUCCEEDED") >= 2, Duration.ofSeconds(60));
        // Kill around scheduled instants: while the slot is recorded (a second ahead), at the launch, just after.
        for (long offsetMs : new long[] {-995, 0, 20}) {
          Instant slot = nextSlot(start, Instant.now().plusMillis(500));
          sleepUntil(slot.plusMillis(offsetMs));
          jvm.kill9();
          jvm = new JobsJvm(cluster.zkSpec, log);
          api.base = "http://" + jvm.endpoint();
          awaitLeader(api, log);
          int before = api.history("tick").size();
          api.awaitHistory("tick", h -> Api.count(h, "SUCCEEDED") >= before + 1, Duration.ofSeconds(60));
        }
        Instant lastWanted = nextSlot(start, Instant.now()).plus(PERIOD);
        api.awaitHistory("tick", h -> h.size() > 0 && h.get(h.size() - 1).path("slot").asText()
            .compareTo(lastWanted.toString()) >= 0 && Api.count(h, "SUCCEEDED") == h.size(), Duration.ofSeconds(90));
        JsonNode history = api.history("tick");
        jvm.close();

        Map<String, Integer> runsPerSlot = new HashMap<>();
        for (JsonNode r : history) {
          runsPerSlot.merge(r.path("slot").asText(), 1, Integer::sum);
          assertEquals(1, r.path("attempts").asInt(), "no run launched twice: " + r);
          assertEquals("SUCCEEDED", r.path("state").asText(), r.toString());
        }
        Instant first = Instant.parse(history.get(0).path("slot").asText());
        Instant last = Instant.parse(history.get(history.size() - 1).path("slot").asText());
        for (Instant s = first; !s.isAfter(last); s = s.plus(PERIOD)) {
          assertEquals(1, runsPerSlot.getOrDefault(s.toString(), 0), "runs of slot " + s + " in " + runsPerSlot);
        }
        List<String> lines = Files.readAllLines(out);
        assertEquals(lines.size(), lines.stream().distinct().count(), "each slot's command ran once: " + lines);
        assertEquals(runsPerSlot.size(), lines.size(), "one command per slot: " + lines);
        assertTrue(lines.size() >= 8, "slots before and after three restarts: " + lines);
      } finally {
        jvm.close();
      }
    }
  }

  private static Instant nextSlot(Instant start, Instant after) {
    long k = Math.max(0, Duration.between(start, after).toMillis() / PERIOD.toMillis() + 1);
    return start.plus(PERIOD.multipliedBy(k));
  }

  private static void sleepUntil(Instant t) throws InterruptedException {
    long ms = Duration.between(Instant.now(), t).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  private static void awaitLeader(Api api, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (api.send("GET", "/v1/scheduler/jobs", null).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // Starting.
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the jobs framework did not lead within 90 s; log:\n" + Files.readString(log));
  }
}
