package io.trellis.services.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.resource.Resources;
import io.trellis.services.app.AppReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each constraint operator, and the placer's reasons. */
class ConstraintsTest {
  static final Spot A = new Spot("1", "a", Map.of("rack", "r1"));
  static final Spot B = new Spot("2", "b", Map.of("rack", "r1"));
  static final Spot C = new Spot("3", "c", Map.of("rack", "r2"));
  static final Spot BARE = new Spot("4", "d", Map.of());

  static Constraint c(String... parts) {
    assertNull(Constraints.problem(List.of(parts)));
    return Constraints.one(List.of(parts));
  }

  @Test
  void unique() {
    assertNull(c("hostname", "UNIQUE").veto(A, List.of(B)));
    assertNotNull(c("hostname", "UNIQUE").veto(A, List.of(A)));
    assertNotNull(c("rack", "UNIQUE").veto(B, List.of(A)));
    assertNotNull(c("rack", "UNIQUE").veto(BARE, List.of()), "an agent without the attribute");
  }

  @Test
  void cluster() {
    assertNull(c("rack", "CLUSTER", "r1").veto(A, List.of()));
    assertNotNull(c("rack", "CLUSTER", "r1").veto(C, List.of()));
    assertNull(c("rack", "CLUSTER").veto(B, List.of(A)), "follows the first instance");
    assertNotNull(c("rack", "CLUSTER").veto(C, List.of(A)));
  }

  @Test
  void groupBy() {
    assertNull(c("rack", "GROUP_BY", "2").veto(C, List.of(A)));
    assertNotNull(c("rack", "GROUP_BY", "2").veto(B, List.of(A)), "r2 still has none");
    assertNull(c("rack", "GROUP_BY").veto(B, List.of(A, C)));
  }

  @Test
  void likeAndUnlike() {
    assertNull(c("hostname", "LIKE", "[ab]").veto(A, List.of()));
    assertNotNull(c("hostname", "LIKE", "[ab]").veto(C, List.of()));
    assertNotNull(c("rack", "UNLIKE", "r1").veto(A, List.of()));
    assertNull(c("rack", "UNLIKE", "r1").veto(BARE, List.of()));
  }

  @Test
  void maxPer() {
    assertNull(c("rack", "MAX_PER", "2").veto(B, List.of(A)));
    assertNotNull(c("rack", "MAX_PER", "2").veto(B, List.of(A, B)));
  }

  @Test
  void badConstraintsAreExplained() {
    assertTrue(Constraints.problem(List.of("rack", "NEAR")).contains("unknown operator"));
    assertTrue(Constraints.problem(List.of("rack", "MAX_PER", "x")).contains("positive number"));
    assertTrue(Constraints.problem(List.of("rack", "LIKE", "[")).contains("not a regular expression"));
    assertTrue(Constraints.problem(List.of("rack")).contains("[field, operator]"));
  }

  @Test
  void thePlacerTakesResourcesAndPortsAndSaysWhatIsShort() {
    var app = AppReader.read("{\"id\": \"/p\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 100, \"ports\": [0, 0]}").app();
    Placer.Result ok = Placer.place(app, List.of(), A, "*", Resources.parse("cpus:2;mem:200;ports:[31000-31001]"), List.of());
    assertTrue(ok.placed());
    assertEquals(List.of(31000, 31001), ok.fit().hostPorts());
    Placer.Result mem = Placer.place(app, List.of(), A, "*", Resources.parse("cpus:2;mem:50;ports:[31000-31001]"), List.of());
    assertEquals("InsufficientMemory", mem.veto().kind());
    assertEquals("needs mem 100, the offer has 50", mem.veto().reason());
    Placer.Result ports = Placer.place(app, List.of(), A, "*", Resources.parse("cpus:2;mem:200;ports:[31000-31000]"), List.of());
    assertEquals("InsufficientPorts", ports.veto().kind());
  }
}
