package io.trellis.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.testkit.SimulatedTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A real {@link HierarchicalAllocator} on a {@link SimulatedTime}, with a listener that records
 * every offer and rescind. Nothing runs until a test moves the clock.
 */
final class TestCluster {
  final SimulatedTime time = new SimulatedTime();
  final Recorder listener = new Recorder();
  final AllocatorConfig config;
  final HierarchicalAllocator allocator;

  TestCluster() {
    this(AllocatorConfig.DEFAULTS);
  }

  TestCluster(AllocatorConfig config) {
    this.config = config;
    this.allocator = new HierarchicalAllocator(config, time, time, listener);
  }

  static Resources res(String text) {
    return Resources.parse(text);
  }

  AgentId agent(String id, String resources, Allocation... used) {
    AgentId agent = AgentId.of(id);
    allocator.addAgent(agent, id + ".example", res(resources), Attributes.NONE, List.of(used));
    return agent;
  }

  FrameworkId framework(String id, String... roles) {
    FrameworkId framework = FrameworkId.of(id);
    allocator.addFramework(framework, Set.of(roles), true);
    return framework;
  }

  SimFramework sim(String id, String role, String task) {
    return new SimFramework(allocator, framework(id, role), role, res(task));
  }

  /** Moves the clock by one batch delay (so a pending cycle runs) and returns the new offers. */
  List<Offer> cycle() {
    return advance(config.batchDelay());
  }

  /** Moves the clock and returns the offers made meanwhile. */
  List<Offer> advance(Duration step) {
    time.advance(step);
    return listener.take();
  }

  /** The single offer made to {@code framework} among {@code offers}. */
  static Offer offerTo(FrameworkId framework, List<Offer> offers) {
    List<Offer> mine = offers.stream().filter(o -> o.frameworkId().equals(framework)).toList();
    assertEquals(1, mine.size(), () -> "expected one offer to " + framework + ", got " + offers);
    return mine.get(0);
  }

  static List<Offer> offersTo(FrameworkId framework, List<Offer> offers) {
    return offers.stream().filter(o -> o.frameworkId().equals(framework)).toList();
  }

  List<Offer> outstandingTo(FrameworkId framework) {
    return offersTo(framework, allocator.outstandingOffers());
  }

  /**
   * Lets simulated frameworks answer every offer made to them, one batch delay per round, until
   * three rounds in a row launch nothing. Offers to other frameworks stay outstanding.
   */
  void runUntilQuiet(SimFramework... sims) {
    int quiet = 0;
    for (int round = 0; round < 10_000; round++) {
      boolean launched = false;
      for (Offer offer : cycle()) {
        for (SimFramework sim : sims) {
          if (sim.id.equals(offer.frameworkId())) {
            launched |= sim.answer(offer);
          }
        }
      }
      quiet = launched ? 0 : quiet + 1;
      if (quiet == 3) {
        return;
      }
    }
    fail("frameworks " + Arrays.toString(sims) + " still launching after 10000 rounds");
  }

  /** Records what the allocator decides, in order. */
  static final class Recorder implements OfferListener {
    final List<Offer> offered = new ArrayList<>();
    final List<Rescinded> rescinded = new ArrayList<>();
    /** Every gang change, in order. */
    final List<DemandStatus> gangs = new ArrayList<>();
    /** How many times {@link #offered} was called: one per cycle that made offers. */
    int offerCalls;
    /** Runs after every batch of offers, while the allocator is still inside its cycle. */
    Runnable afterOffers = () -> {};
    private int taken;

    @Override
    public void offered(List<Offer> offers) {
      offerCalls++;
      offered.addAll(offers);
      afterOffers.run();
    }

    @Override
    public void rescinded(Offer offer, String reason) {
      rescinded.add(new Rescinded(offer, reason));
    }

    @Override
    public void gangChanged(DemandStatus status) {
      gangs.add(status);
    }

    /** Offers made since the last call. */
    List<Offer> take() {
      List<Offer> out = List.copyOf(offered.subList(taken, offered.size()));
      taken = offered.size();
      return out;
    }
  }

  record Rescinded(Offer offer, String reason) {}
}
