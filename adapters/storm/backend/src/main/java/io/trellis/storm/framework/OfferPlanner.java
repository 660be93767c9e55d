package io.trellis.storm.framework;

import io.trellis.api.OfferInfo;
import io.trellis.client.GangRetries;
import io.trellis.core.resource.InvalidResourceException;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import io.trellis.storm.schedule.WorkerSize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which supervisors to launch on which offers: for each topology that wants more worker
 * slots, supervisors of up to {@code slotsPerSupervisor} slots sized for that topology's workers
 * (fewer slots when the offer is smaller), on as many offers as it takes. Offers nothing wants are
 * declined with the reason.
 */
public final class OfferPlanner {
  /** A topology that wants {@code slots} more worker slots of {@code size}, all together when {@code gang}. */
  public record Need(String topologyId, String topologyName, int slots, WorkerSize size, boolean gang) {
    public Need(String topologyId, String topologyName, int slots, WorkerSize size) {
      this(topologyId, topologyName, slots, size, false);
    }
  }

  /** One supervisor to launch on an offer. */
  public record Placement(OfferInfo offer, String topologyId, String topologyName, WorkerSize size, int slots,
      String resources, long thriftPort, List<Long> slotPorts) {}

  public record Decline(OfferInfo offer, String reason) {}

  public record Plan(List<Placement> placements, List<Decline> declines) {}

  private final SupervisorSize supervisor;
  private final int slotsPerSupervisor;

  public OfferPlanner(SupervisorSize supervisor, int slotsPerSupervisor) {
    if (slotsPerSupervisor < 1 || slotsPerSupervisor > 64) {
      throw new IllegalArgumentException("slots per supervisor must be 1..64, not " + slotsPerSupervisor);
    }
    this.supervisor = supervisor;
    this.slotsPerSupervisor = slotsPerSupervisor;
  }

  /**
   * Ordinary offers serve the topologies that are not gangs; the offers of a topology's gang
   * (marked with its id) serve that topology alone, so a gang never starts from a part.
   */
  public Plan planByGang(List<OfferInfo> offers, List<Need> needs) {
    Map<String, List<OfferInfo>> byGang = new LinkedHashMap<>();
    for (OfferInfo o : offers) {
      byGang.computeIfAbsent(o.gang() == null ? "" : GangRetries.name(o.gang()), k -> new ArrayList<>()).add(o);
    }
    List<Placement> placements = new ArrayList<>();
    List<Decline> declines = new ArrayList<>();
    byGang.forEach((gang, group) -> {
      List<Need> mine = needs.stream()
          .filter(n -> gang.isEmpty() ? !n.gang() : n.gang() && n.topologyId().equals(gang)).toList();
      Plan p = plan(group, mine);
      placements.addAll(p.placements());
      declines.addAll(p.declines());
    });
    return new Plan(placements, declines);
  }

  public Plan plan(List<OfferInfo> offers, List<Need> needs) {
    int[] left = needs.stream().mapToInt(Need::slots).toArray();
    List<Placement> placements = new ArrayList<>();
    List<Decline> declines = new ArrayList<>();
    List<OfferInfo> usable = new ArrayList<>();
    List<Resources> free = new ArrayList<>();
    for (OfferInfo offer : offers) {
      try {
        free.add(Resources.parse(offer.resources()));
        usable.add(offer);
      } catch (InvalidResourceException e) {
        declines.add(new Decline(offer, "unreadable resources '" + offer.resources() + "'"));
      }
    }
    boolean[] used = new boolean[usable.size()];
    // One supervisor per offer per pass: a topology's workers spread over agents.
    boolean placed = true;
    while (placed && sum(left) > 0) {
      placed = false;
      for (int o = 0; o < usable.size(); o++) {
        for (int i = 0; i < needs.size(); i++) {
          Placement p = left[i] > 0 ? fit(usable.get(o), free.get(o), needs.get(i), Math.min(left[i], slotsPerSupervisor)) : null;
          if (p != null) {
            placements.add(p);
            free.set(o, free.get(o).minus(Resources.parse(p.resources())));
            left[i] -= p.slots();
            used[o] = true;
            placed = true;
            break;
          }
        }
      }
    }
    for (int o = 0; o < usable.size(); o++) {
      if (!used[o]) {
        OfferInfo offer = usable.get(o);
        declines.add(new Decline(offer, needs.isEmpty() || sum(left) == 0 ? "no topology wants more workers"
            : "offer " + offer.resources() + " is smaller than one supervisor with one worker ("
                + supervisor.scalars(smallest(needs), 1) + ";2 ports)"));
      }
    }
    return new Plan(placements, declines);
  }

  /** The largest supervisor of at most {@code slots} slots that fits in {@code free}, or null. */
  private Placement fit(OfferInfo offer, Resources free, Need need, int slots) {
    List<Long> ports = ports(free.ranges(Resources.PORTS), slots + 1);
    for (int n = Math.min(slots, ports.size() - 1); n >= 1; n--) {
      if (free.flatten().scalars().contains(supervisor.scalars(need.size(), n))) {
        List<Long> mine = ports.subList(0, n + 1);
        return new Placement(offer, need.topologyId(), need.topologyName(), need.size(), n,
            supervisor.resources(need.size(), n, mine), mine.get(0), List.copyOf(mine.subList(1, n + 1)));
      }
    }
    return null;
  }

  /** Whether an agent with these total resources could ever hold a one-slot supervisor of the size. */
  public boolean couldFit(Resources agentTotal, WorkerSize size) {
    return agentTotal.flatten().scalars().contains(supervisor.scalars(size, 1))
        && agentTotal.ranges(Resources.PORTS).size() >= 2;
  }

  public Resources oneSlot(WorkerSize size) {
    return supervisor.scalars(size, 1);
  }

  private static List<Long> ports(Ranges ranges, int count) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < ranges.intervalCount() && out.size() < count; i++) {
      for (long p = ranges.begin(i); p <= ranges.end(i) && out.size() < count; p++) {
        out.add(p);
      }
    }
    return out;
  }

  private static WorkerSize smallest(List<Need> needs) {
    return needs.stream().map(Need::size)
        .min((a, b) -> Double.compare(a.memMb() + a.cpus() * 1024, b.memMb() + b.cpus() * 1024)).orElseThrow();
  }

  private static int sum(int[] a) {
    int s = 0;
    for (int x : a) {
      s += x;
    }
    return s;
  }
}
