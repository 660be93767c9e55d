package io.trellis.storm.nimbus;

import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.client.discovery.ZkAddress;
import io.trellis.storm.cds.StormClassArchive;
import io.trellis.storm.framework.FrameworkIdStore;
import io.trellis.storm.framework.FrameworkSettings;
import io.trellis.storm.framework.StormFramework;
import io.trellis.storm.framework.SupervisorCommand;
import io.trellis.storm.framework.SupervisorSize;
import io.trellis.storm.schedule.DedicatedScheduler;
import io.trellis.storm.schedule.WorkerSize;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.storm.daemon.nimbus.Nimbus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code trellis storm nimbus}: Storm's Nimbus with the Trellis scheduler, and beside it in this
 * JVM the Trellis framework that runs its supervisors. Storm's state lives in the cluster's
 * ZooKeeper under its own root; the framework id beside it.
 */
public final class NimbusMain {
  private static final Logger log = LoggerFactory.getLogger(NimbusMain.class);

  private NimbusMain() {}

  public static void main(String[] argv) throws Exception {
    NimbusArgs args;
    String zk;
    Map<String, Object> conf;
    FrameworkSettings settings;
    Path localDir;
    try {
      args = new NimbusArgs(argv);
      zk = args.text("zk", "zk://127.0.0.1:2181/trellis");
      String host = args.text("host", loopback(zk) ? "127.0.0.1" : InetAddress.getLocalHost().getCanonicalHostName());
      int port = args.integer("port", 6627, 1, 65535);
      String root = args.text("storm-root", "/trellis-storm");
      localDir = Path.of(args.text("local-dir", System.getProperty("java.io.tmpdir") + "/trellis-storm-nimbus"))
          .toAbsolutePath();
      Map<String, Object> shared = StormConf.shared(zk, root, host, port);
      conf = new LinkedHashMap<>(shared);
      conf.put("storm.local.hostname", host);
      conf.put("storm.local.dir", localDir.toString());
      int monitor = args.integer("monitor-seconds", 2, 1, 600);
      conf.put("nimbus.monitor.freq.secs", monitor);
      conf.put("nimbus.task.timeout.secs", 20);
      conf.put("nimbus.supervisor.timeout.secs", 20);
      conf.put("supervisor.worker.timeout.secs", 20);
      // Supervisors come and go with their topologies on Trellis: a stopped one is not a bad machine.
      conf.put("blacklist.scheduler.assume.supervisor.bad.based.on.bad.slot", false);
      conf.put("blacklist.scheduler.tolerance.count", 1_000_000);
      Map<String, Object> supervisorConf = new LinkedHashMap<>(shared);
      supervisorConf.put("supervisor.worker.timeout.secs", 20);
      supervisorConf.put("supervisor.monitor.frequency.secs", 2);
      // Workers read these too: a new worker sees its topology active and its peers within a second.
      supervisorConf.put("task.refresh.poll.secs", 1);
      String lib = args.text("lib", ownLibDir());
      String javaHome = args.text("java-home", System.getProperty("java.home"));
      settings = new FrameworkSettings(args.text("role", "storm"), args.text("name", "storm"), supervisorConf,
          new SupervisorSize(args.number("supervisor-cpu", 0.1, 0.01, 64), args.integer("supervisor-mem-mb", 256, 96, 65536)),
          new WorkerSize(args.number("worker-cpu", 0.5, 0.01, 1024), args.integer("worker-mem-mb", 512, 64, 1 << 20)),
          args.integer("slots-per-supervisor", 1, 1, 64), Duration.ofSeconds(args.integer("idle-grace-seconds", 60, 0, 86400)),
          Duration.ofSeconds(args.integer("failover-seconds", 3600, 0, 30 * 86400)), 2.0, lib, javaHome,
          args.text("java-options", ""), System.getProperty("user.name"));
    } catch (IllegalArgumentException e) {
      System.err.println("trellis storm nimbus: " + e.getMessage());
      System.exit(2);
      return;
    }
    StormConf.install(conf, localDir);
    // Nimbus keeps its metrics store (RocksDB) under storm.home.
    System.setProperty("storm.home", localDir.toString());
    ZkAddress address = ZkAddress.parse(zk);
    CuratorFramework curator = io.trellis.security.zk.ZkCredentials.apply(io.trellis.security.zk.ZkCredentials.fromEnvironment(),
        CuratorFrameworkFactory.builder().connectString(address.connectString())
            .retryPolicy(new ExponentialBackoffRetry(200, 10))).build();
    curator.start();
    String root = (String) conf.get("storm.zookeeper.root");
    FrameworkIdStore ids = new FrameworkIdStore(curator, root + "/trellis-framework-id");
    MasterDetector detector = MasterDetectors.from(args.text("master", zk));
    boolean useArchive = args.onOff("class-archive", true);
    StormClassArchive archive = new StormClassArchive(Path.of(settings.libDir()), settings.javaHome(),
        StormClassArchive.defaultDir(Path.of(settings.libDir())));
    if (useArchive) {
      archive.makeInBackground();
    }
    StormFramework framework = new StormFramework(settings, detector, io.trellis.security.ClientSecurity.fromEnvironment(),
        ids, InstantSource.system(),
        new SupervisorCommand(settings, !useArchive ? List::of : archive::options));
    DedicatedScheduler scheduler = new DedicatedScheduler(settings.defaultWorker(), framework::view,
        framework::status, framework::supervisorsComing, framework::taskGone);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      framework.close();
      detector.close();
      curator.close();
    }, "storm-framework-stop"));
    framework.start();
    log.info("Nimbus starting at {}:{} with Storm state under {} in {}; supervisors run under role {}",
        conf.get("storm.local.hostname"), conf.get("nimbus.thrift.port"), root, address.connectString(), settings.role());
    Nimbus.launch(new TrellisINimbus(scheduler));
  }

  private static boolean loopback(String zk) {
    String cs = ZkAddress.parse(zk).connectString();
    return cs.startsWith("127.") || cs.startsWith("localhost");
  }

  /** The directory of the adapter's jar: the class path of supervisors and workers. */
  private static String ownLibDir() {
    try {
      return Path.of(NimbusMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().toString();
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot tell where the adapter's jars are; pass --lib", e);
    }
  }
}
