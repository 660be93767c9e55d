package io.trellis.faults.suite;

import io.trellis.faults.scenarios.AgentPartition;
import io.trellis.faults.scenarios.AgentReboot;
import io.trellis.faults.scenarios.AgentRestart;
import io.trellis.faults.scenarios.LeaderChurn;
import io.trellis.faults.scenarios.LeaderKill;
import io.trellis.faults.scenarios.LeaderPause;
import io.trellis.faults.scenarios.LeaderZkPartition;
import io.trellis.faults.scenarios.StatusStorm;
import io.trellis.faults.scenarios.ZooKeeperLoss;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Every scenario of the suite, in the order it runs them, with what each does and checks. */
public final class Catalogue {
  /** A scenario with its name and what it does. */
  public record Entry(String name, String description, Scenario scenario) {}

  private Catalogue() {}

  public static List<Entry> all() {
    List<Entry> out = new ArrayList<>();
    out.add(new Entry("leader-kill-500", "kill -9 of the leading master while 500 tasks run",
        new LeaderKill("leader-kill-500", 500)));
    out.add(new Entry("leader-sigstop", "SIGSTOP of the leader past its ZooKeeper session, SIGCONT after another leads",
        new LeaderPause()));
    out.add(new Entry("leader-churn-10", "10 forced leader changes (kill -9) within 5 minutes, scaling between them",
        new LeaderChurn()));
    out.add(new Entry("agent-restart-inside", "kill -9 of an agent, restarted inside the agent timeout",
        new AgentRestart("agent-restart-inside", false)));
    out.add(new Entry("agent-restart-outside", "kill -9 of an agent, restarted after the master marked it unreachable",
        new AgentRestart("agent-restart-outside", true)));
    out.add(new Entry("agent-reboot", "an agent's host reboots (its processes die, new boot id)", new AgentReboot()));
    out.add(new Entry("agent-partition-30s", "an agent's host cut off 30 s (inside the agent timeout)",
        new AgentPartition("agent-partition-30s", Duration.ofSeconds(30))));
    out.add(new Entry("agent-partition-120s", "an agent's host cut off 120 s (outside the agent timeout)",
        new AgentPartition("agent-partition-120s", Duration.ofSeconds(120))));
    out.add(new Entry("leader-zk-partition", "the leading master cut off from every ZooKeeper member",
        new LeaderZkPartition()));
    out.add(new Entry("zookeeper-lose-1", "kill -9 of 1 of the 3 ZooKeeper members", new ZooKeeperLoss(1)));
    out.add(new Entry("zookeeper-lose-2", "kill -9 of 2 of the 3 ZooKeeper members, then back", new ZooKeeperLoss(2)));
    out.add(new Entry("status-storm", "200 instances deploying, the leading services instance killed -9 meanwhile",
        new StatusStorm()));
    return out;
  }
}
