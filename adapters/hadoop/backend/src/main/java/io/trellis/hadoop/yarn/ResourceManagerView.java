package io.trellis.hadoop.yarn;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.yarn.api.records.NodeId;
import org.apache.hadoop.yarn.server.resourcemanager.ResourceManager;
import org.apache.hadoop.yarn.server.resourcemanager.rmnode.RMNode;
import org.apache.hadoop.yarn.server.resourcemanager.rmnode.RMNodeDecommissioningEvent;
import org.apache.hadoop.yarn.server.resourcemanager.rmnode.RMNodeEvent;
import org.apache.hadoop.yarn.server.resourcemanager.rmnode.RMNodeEventType;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.QueueMetrics;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.SchedulerNodeReport;

/**
 * The ResourceManager running in this JVM, read directly. A node is decommissioned by its own id
 * rather than through an exclude file: exclude files name hosts, and several NodeManagers of one
 * cluster may share a host.
 */
public final class ResourceManagerView implements YarnView {
  private final ResourceManager rm;

  public ResourceManagerView(ResourceManager rm) {
    this.rm = rm;
  }

  @Override
  public Snapshot snapshot() {
    Map<String, Node> nodes = new HashMap<>();
    for (RMNode n : rm.getRMContext().getInactiveRMNodes().values()) {
      nodes.put(n.getNodeID().toString(), new Node(n.getNodeID().toString(), n.getState().name(), 0));
    }
    for (RMNode n : rm.getRMContext().getRMNodes().values()) {
      SchedulerNodeReport report = rm.getResourceScheduler().getNodeReport(n.getNodeID());
      nodes.put(n.getNodeID().toString(), new Node(n.getNodeID().toString(), n.getState().name(),
          report == null ? 0 : report.getNumContainers(), n.getRunningApps().size()));
    }
    QueueMetrics q = rm.getResourceScheduler().getRootQueueMetrics();
    Demand d = q == null ? Demand.NONE : new Demand(q.getPendingContainers(), q.getPendingMB(),
        q.getPendingVirtualCores(), q.getAvailableMB(), q.getAvailableVirtualCores(), q.getAppsPending(),
        q.getAppsRunning());
    return new Snapshot(nodes, d);
  }

  @Override
  public void decommission(String nodeId, int timeoutSeconds) {
    rm.getRMContext().getDispatcher().getEventHandler()
        .handle(new RMNodeDecommissioningEvent(NodeId.fromString(nodeId), timeoutSeconds));
  }

  @Override
  public void forget(String nodeId) {
    NodeId id = NodeId.fromString(nodeId);
    if (rm.getRMContext().getRMNodes().containsKey(id)) {
      rm.getRMContext().getDispatcher().getEventHandler().handle(new RMNodeEvent(id, RMNodeEventType.EXPIRE));
    }
  }
}
