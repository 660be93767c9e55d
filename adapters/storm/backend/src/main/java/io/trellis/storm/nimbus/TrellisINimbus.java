package io.trellis.storm.nimbus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.storm.scheduler.INimbus;
import org.apache.storm.scheduler.IScheduler;
import org.apache.storm.scheduler.SupervisorDetails;
import org.apache.storm.scheduler.Topologies;
import org.apache.storm.scheduler.WorkerSlot;

/**
 * Nimbus' view of the machines: every registered supervisor's ports are slots (as Storm's
 * standalone INimbus has it), and the scheduler is always the Trellis one.
 */
final class TrellisINimbus implements INimbus {
  private final IScheduler scheduler;

  TrellisINimbus(IScheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public void prepare(Map<String, Object> conf, String schedulerLocalDir) {}

  @Override
  public Collection<WorkerSlot> allSlotsAvailableForScheduling(Collection<SupervisorDetails> supervisors,
      Topologies topologies, Set<String> topologiesMissingAssignments) {
    List<WorkerSlot> slots = new ArrayList<>();
    for (SupervisorDetails s : supervisors) {
      // At this point a supervisor's ports are in its meta (its supervisor.slots.ports).
      if (s.getMeta() instanceof Collection<?> ports) {
        for (Object port : ports) {
          slots.add(new WorkerSlot(s.getId(), (Number) port));
        }
      }
    }
    return slots;
  }

  @Override
  public void assignSlots(Topologies topologies, Map<String, Collection<WorkerSlot>> newSlotsByTopologyId) {}

  @Override
  public String getHostName(Map<String, SupervisorDetails> supervisors, String nodeId) {
    SupervisorDetails s = supervisors.get(nodeId);
    return s == null ? null : s.getHost();
  }

  @Override
  public IScheduler getForcedScheduler() {
    return scheduler;
  }
}
