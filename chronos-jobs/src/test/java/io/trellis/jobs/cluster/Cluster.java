package io.trellis.jobs.cluster;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.test.TestingServer;

/** A real cluster in this JVM: an embedded ZooKeeper, a master and an agent running real processes. */
final class Cluster implements AutoCloseable {
  final Path dir;
  final TestingServer zk;
  final String zkSpec;
  final MasterProcess master;
  final AgentProcess agent;

  static {
    // A test ZooKeeper need not fsync its log: on a busy disk a sync takes seconds and expires sessions.
    System.setProperty("zookeeper.forceSync", "no");
  }

  Cluster(String resources) throws Exception {
    dir = Files.createTempDirectory("trellis-jobs-cluster-");
    zk = new TestingServer(true);
    zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    // Offers outstanding with a framework instance that went away come back after 10 s: a
    // standby that subscribes with the same framework id before the master noticed the old
    // stream break would otherwise wait the default five minutes for them.
    MasterConfig d = MasterConfig.defaults();
    master = MasterProcess.withZooKeeper(new MasterConfig("127.0.0.1", 0, d.agentTimeout(), d.agentRemovalTimeout(),
        Duration.ofSeconds(1), Duration.ofSeconds(10), d.defaultRefuse()), zkSpec);
    // Docker jobs may mount host directories (the Docker job test mounts its temporary directory).
    AgentConfig config = new AgentConfig(zkSpec, "127.0.0.1", 0, dir.resolve("agent"), resources, "",
        Duration.ofSeconds(3), Duration.ofSeconds(2), java.util.Map.of("docker.allow-host-volumes", "true"));
    agent = AgentProcess.start(config, Resources.parse(resources), Attributes.NONE, MasterDetectors.from(zkSpec));
  }

  /** Closes the parts started, in order, skipping those never started. */
  /** The only jobs framework of this cluster (retry backoff 1 s), once it leads. */
  io.trellis.jobs.framework.JobsFramework startLeadingJobs() throws Exception {
    io.trellis.jobs.framework.JobsFramework jobs = io.trellis.jobs.framework.JobsFramework.start(
        io.trellis.jobs.framework.JobsConfig.of(zkSpec).withPort(0).withEngine(
            io.trellis.jobs.engine.EngineConfig.defaults().withRetryBackoff(Duration.ofSeconds(1))));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!jobs.isLeader() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    if (!jobs.isLeader()) {
      jobs.close();
      throw new AssertionError("the only jobs instance does not lead after 30 s");
    }
    return jobs;
  }

  static void closeAll(AutoCloseable... parts) throws Exception {
    for (AutoCloseable p : parts) {
      if (p != null) {
        p.close();
      }
    }
  }

  @Override
  public void close() throws Exception {
    agent.close();
    master.close();
    zk.close();
  }
}
