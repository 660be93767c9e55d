package io.trellis.bench.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ratio table reads the peers' own output formats and matches cells like for like. */
class RatioTableTest {
  private static final List<String> TRELLIS = List.of(PlacementBenchmark.CSV_HEAD,
      "1000,1,10,10,none,hold,0,7200,7200,40000,50000,0.2,1.0,2.0,1.000,0,0",
      "1000,10,10,100,unique,hold,0,7200,7200,9000,9500,0.2,1.0,2.0,1.000,0,0",
      "10000,1,100,100,none,hold,3,600,600,100000,120000,0.2,1.0,2.0,1.000,0,0");

  private static final List<String> FENZO = List.of(
      "# Fenzo 1.0.1 peer benchmark", "",
      "## Placement streams (S1, S2)", "",
      "| S | scenario | hosts | stream | good-enough | placed/submitted | util % | tasks/s median | tasks/s max |"
          + " ms/batch median | ms/batch max | mean ms/batch (median rep) | GC ms/rep | max fitness |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
      "| 1 | bin packing | 1,000 | empty->90%, 36 batches | default (f>1.0) | 7,200/7,200 | 90.0 | 10,000 | 11,000 | 19 | 60 | 20 | 0 | 0.76 |",
      "| 1 | bin packing | 1,000 | empty->90%, 36 batches | f>=1.0 | 7,200/7,200 | 90.0 | 1 | 1 | 19 | 60 | 20 | 0 | 0.76 |",
      "| 1 | bin packing | 10,000 | first 3 batches from empty (0->0.8%) | default (f>1.0) | 600/600 | 0.8 | 200 | 218 | 992 | 1,134 | 990 | 0 | 0.5 |",
      "| 2 | bin packing + unique-host per app (50 apps x 4 per batch) | 1,000 | empty->90%, 36 batches | default (f>1.0) | 7,200/7,200 | 90.0 | 4,500 | 5,000 | 19 | 54 | 20 | 0 | 0.76, viol=0 |",
      "", "total run time: 12.0 s");

  private static final List<String> YARN = List.of(
      "scheduler,mode,scenario,nodes,queues,apps,containers,rep,rounds,fill_ms,fill_cpu_ms,fill_gc_ms,"
          + "containers_per_s,containers_per_cpu_s,mean_round_ms",
      "CAPACITY,DEFAULT,S1 A=10,1000,1,10,7200,1,8,1,1,0,20000,1,1",
      "CAPACITY,DEFAULT,S1 A=10,1000,1,10,7200,2,8,1,1,0,10000,1,1",
      "CAPACITY,DEFAULT,S1 A=10,1000,1,10,7200,3,8,1,1,0,30000,1,1",
      "CAPACITY,MULTI,S1 A=10,1000,1,10,7200,1,1,1,1,0,25000,1,1",
      "FAIR,MULTI,S1 A=10,1000,1,10,7200,1,1,1,1,0,80000,1,1",
      "FAIR,MULTI,S2 10q x 10,1000,10,100,7200,1,1,1,1,0,18000,1,1");

  private static List<String> table() {
    return RatioTable.print(PeerResults.trellis(TRELLIS), PeerResults.fenzo(FENZO), PeerResults.yarn(YARN));
  }

  @Test
  void eachRowIsDividedByTheMatchingPeerCells() {
    List<String> t = table();
    // Fenzo S1 default good-enough at 1,000 hosts; YARN Capacity: the faster mode (multi 25k beats
    // the default median 20k); Fair: multi.
    assertEquals("| 1,000 | 1 x 10 | none | hold | whole | 40,000 | 10,000 | **4.00x** | 25,000 (multi) | **1.60x** "
        + "| 80,000 (multi) | 0.50x |", t.get(2));
  }

  @Test
  void uniqueHostRowsMeetFenzoS2AndYarnsUnconstrainedFigure() {
    assertEquals("| 1,000 | 10 x 10 | unique host | hold | whole | 9,000 | 4,500 | **2.00x** | - | - "
        + "| 18,000 (multi)* | 0.50x |", table().get(3));
  }

  @Test
  void aWindowRowMeetsFenzosWindowAndNoYarnRow() {
    List<String> t = table();
    assertEquals("| 10,000 | 1 x 100 | none | hold | first 3 batches | 100,000 | 200 | **500x** | - | - | - | - |", t.get(4));
    assertTrue(t.contains("Trellis ahead in 4 of 6 comparisons."), t.toString());
  }

  @Test
  void outputWithoutAFenzoTableIsRejectedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PeerResults.fenzo(List.of("nothing here")));
    assertTrue(e.getMessage().contains("Fenzo"), e.getMessage());
  }

  @Test
  void aColumnThatIsNotANumberIsNamed() {
    List<String> bad = List.of(YARN.get(0), "FAIR,MULTI,S1 A=10,1000,1,10,7200,1,1,1,1,0,fast,1,1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerResults.yarn(bad));
    assertTrue(e.getMessage().contains("containers_per_s"), e.getMessage());
  }
}
