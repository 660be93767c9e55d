package io.trellis.faults.suite;

import io.trellis.faults.scenarios.AgentPartition;
import io.trellis.faults.scenarios.AgentReboot;
import io.trellis.faults.scenarios.AgentRestart;
import io.trellis.faults.scenarios.DockerdRestart;
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
    out.add(new Entry("dockerd-restart", "kill -9 of dockerd while an app's Docker instances run, then dockerd again",
        new DockerdRestart("dockerd-restart", 4)));
    out.add(new Entry("status-storm", "the services leader killed in a storm of status updates (150 instances"
        + " failing every 2 s)", new StatusStorm("status-storm", 150)));
    // Crash points, jobs and framework failover.
    for (String point : List.of("services.instance-stored@1", "services.launch-sent@1", "services.before-acknowledge@40",
        "master.accept-forwarded@1")) {
      out.add(new Entry("crash-" + point.replace('@', '-'), "a 100-instance deploy, the leader halted at crash point "
          + point, new io.trellis.faults.scenarios.CrashPointDeploy(point)));
    }
    for (String point : List.of("jobs.slot-recorded@1", "jobs.run-recorded@1", "jobs.launch-sent@1")) {
      out.add(new Entry("crash-" + point.replace('@', '-'), "once-a-minute jobs, the jobs leader halted at crash point "
          + point, new io.trellis.faults.scenarios.JobsCrashPoint(point)));
    }
    out.add(new Entry("services-failover", "the leading services instance killed -9 three times: time to a recovered leader",
        new io.trellis.faults.scenarios.FrameworkFailover(io.trellis.faults.rig.Node.Role.SERVICES, 3)));
    out.add(new Entry("jobs-failover", "the leading jobs instance killed -9 three times: time to a recovered leader",
        new io.trellis.faults.scenarios.FrameworkFailover(io.trellis.faults.rig.Node.Role.JOBS, 3)));
    out.add(new Entry("jobs-leader-kill-50", "6 once-a-minute jobs at staggered seconds, the jobs leader killed -9 within"
        + " ±2 s of a slot 50 times: every slot once", new io.trellis.faults.scenarios.JobsLeaderKill("jobs-leader-kill-50", 50, 6, 15)));
    out.add(new Entry("full-work-dir", "an agent's work directory (a 24 MiB tmpfs) filled while an app scales up on it,"
        + " then freed", new io.trellis.faults.scenarios.FullWorkDir()));
    out.add(new Entry("jobs-down-3-slots", "the jobs framework down across 3 slots: each missed-run policy applied and recorded",
        new io.trellis.faults.scenarios.JobsDown()));
    return out;
  }
}
