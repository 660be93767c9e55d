package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Attributes;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Marathon-style member constraints: parsing with clear errors, and gangs placed by them. */
class MemberConstraintTest {
  private final TestCluster cluster = new TestCluster();

  private static MemberConstraint c(String... rule) {
    return MemberConstraint.parse(List.of(rule));
  }

  @Test
  void badRulesAreRefusedSayingWhatIsWrong() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> c("hostname"))
        .getMessage().contains("[field, operator]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> c("hostname", "BOGUS"))
        .getMessage().contains("unknown constraint operator 'BOGUS'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> c("hostname", "UNIQUE", "x"))
        .getMessage().contains("UNIQUE takes no value"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> c("rack", "MAX_PER", "0"))
        .getMessage().contains("at least 1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> c("rack", "LIKE", "("))
        .getMessage().contains("regular expression"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> c("rack", "CLUSTER"))
        .getMessage().contains("needs a value"));
  }

  private void agent(String id, String rack) {
    cluster.allocator.addAgent(AgentId.of(id), id, res("cpus:8;mem:8192"), new Attributes(Map.of("rack", rack)),
        List.of());
  }

  private Map<String, Long> placedByAgent(List<MemberConstraint> constraints, int count) {
    FrameworkId g = cluster.framework("G", "g");
    cluster.allocator.request(g, List.of(new Demand("d", "g", res("cpus:1;mem:128"), count, constraints,
        new Demand.Gang(count, null, false))));
    return cluster.cycle().stream().filter(o -> "d".equals(o.gang()))
        .collect(Collectors.toMap(o -> o.agentId().value(), o -> (long) o.resources().scalar("cpus")));
  }

  @Test
  void aGangIsPlacedByItsConstraints() {
    agent("a1", "r1");
    agent("a2", "r1");
    agent("b1", "r2");
    agent("b2", "r2");

    Map<String, Long> inR2 = placedByAgent(List.of(c("rack", "CLUSTER", "r2"), c("rack", "MAX_PER", "5")), 5);

    assertEquals(5L, inR2.values().stream().mapToLong(Long::longValue).sum(), inR2.toString());
    assertTrue(inR2.keySet().stream().allMatch(a -> a.startsWith("b")), inR2.toString());
  }

  @Test
  void maxPerSpreadsMembersOverValues() {
    agent("a1", "r1");
    agent("b1", "r2");

    Map<String, Long> spread = placedByAgent(List.of(c("rack", "MAX_PER", "2"), c("hostname", "UNLIKE", "c.*")), 4);

    assertEquals(Map.of("a1", 2L, "b1", 2L), spread);
  }
}
