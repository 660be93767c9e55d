package io.trellis.jobs.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trellis.api.Json;
import io.trellis.jobs.job.Job;
import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * The job store in ZooKeeper, one znode per entity under {@code root}:
 *
 * <pre>
 * {root}/jobs/{name}            the job definition (JSON)
 * {root}/status/{name}          its {@link JobStatus}
 * {root}/runs/{name}/{slot-t}   one {@link Run} per slot and trigger, created before the launch
 * {root}/framework-id           the framework id the master gave
 * {root}/epoch                  the leader epoch counter
 * </pre>
 *
 * Names are URL-encoded into znode names. Every write is one ZooKeeper transaction that first
 * checks the writer's {@link LeaderEpoch}, so an instance that lost the lead writes nothing
 * ({@link FencedException}). The runs of one firing are created in one transaction (one round
 * trip); if any already exists they are created one by one, skipping the existing.
 */
public final class ZkJobStore implements JobStore {
  private static final ObjectMapper JSON = Json.mapper();
  /**
   * The most one transaction carries (paths and data): ZooKeeper refuses a request over 1 MB
   * (jute.maxbuffer) by dropping the connection, so thousands of runs due together are recorded
   * in several transactions, each fenced.
   */
  static final int MAX_TRANSACTION_BYTES = 512 * 1024;
  private final CuratorFramework zk;
  private final String root;
  private final LeaderEpoch epoch;

  /** A store that writes under {@code epoch}. */
  public ZkJobStore(CuratorFramework zk, String root, LeaderEpoch epoch) {
    this.zk = zk;
    this.root = root;
    this.epoch = epoch;
  }

  /** Takes the lead of the store at {@code root}: advances its epoch, fencing every earlier leader. */
  public static ZkJobStore lead(CuratorFramework zk, String root) {
    return new ZkJobStore(zk, root, LeaderEpoch.advance(zk, epochPath(root)));
  }

  public LeaderEpoch epoch() {
    return epoch;
  }

  static String epochPath(String root) {
    return root + "/epoch";
  }

  private String jobsPath() {
    return root + "/jobs";
  }

  private String statusPath() {
    return root + "/status";
  }

  private String runsPath(String job) {
    return root + "/runs/" + encode(job);
  }

  @Override
  public Map<String, Job> jobs() {
    Map<String, Job> out = new TreeMap<>();
    for (String child : children(jobsPath())) {
      read(jobsPath() + "/" + child, Job.class).ifPresent(j -> out.put(j.name(), j));
    }
    return out;
  }

  /** Writes the job, and creates the znode of its runs with it, so recording a slot takes one round trip. */
  @Override
  public void putJob(Job job) {
    String path = jobsPath() + "/" + encode(job.name());
    byte[] data = bytes(job);
    try {
      try {
        epoch.commit(zk, "update job " + job.name(), List.of(zk.transactionOp().setData().forPath(path, data)));
      } catch (KeeperException.NoNodeException e) {
        String runs = runsPath(job.name());
        try {
          epoch.commit(zk, "create job " + job.name(), List.of(zk.transactionOp().create().forPath(path, data),
              zk.transactionOp().create().forPath(runs)));
        } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException first) {
          // The first job of the store, or runs recorded before the job: create what is missing.
          ensureParent(path);
          ensureParent(runs);
          List<CuratorOp> ops = new ArrayList<>();
          ops.add(zk.transactionOp().create().forPath(path, data));
          if (zk.checkExists().forPath(runs) == null) {
            ops.add(zk.transactionOp().create().forPath(runs));
          }
          epoch.commit(zk, "create job " + job.name(), ops);
        }
      }
    } catch (Exception e) {
      throw storeFailure("write " + path, e);
    }
  }

  @Override
  public void deleteJob(String name) {
    try {
      List<CuratorOp> ops = new ArrayList<>();
      for (String child : children(runsPath(name))) {
        ops.add(zk.transactionOp().delete().forPath(runsPath(name) + "/" + child));
      }
      for (String path : List.of(runsPath(name), statusPath() + "/" + encode(name), jobsPath() + "/" + encode(name))) {
        if (zk.checkExists().forPath(path) != null) {
          ops.add(zk.transactionOp().delete().forPath(path));
        }
      }
      epoch.commit(zk, "delete job " + name, ops);
    } catch (Exception e) {
      throw storeFailure("delete job " + name, e);
    }
  }

  @Override
  public Optional<JobStatus> status(String name) {
    return read(statusPath() + "/" + encode(name), JobStatus.class);
  }

  @Override
  public void putStatus(String name, JobStatus s) {
    write(statusPath() + "/" + encode(name), s);
  }

  @Override
  public List<Run> createRuns(List<Run> toCreate) {
    if (toCreate.isEmpty()) {
      return List.of();
    }
    try {
      List<Run> created = new ArrayList<>(toCreate.size());
      List<Run> batch = new ArrayList<>();
      List<CuratorOp> ops = new ArrayList<>();
      long bytes = 0;
      for (Run r : toCreate) {
        String path = runsPath(r.job()) + "/" + r.key();
        byte[] data = bytes(r);
        if (!ops.isEmpty() && bytes + path.length() + data.length > MAX_TRANSACTION_BYTES) {
          created.addAll(createBatch(batch, ops));
          batch = new ArrayList<>();
          ops = new ArrayList<>();
          bytes = 0;
        }
        batch.add(r);
        ops.add(zk.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, data));
        bytes += path.length() + data.length;
      }
      created.addAll(createBatch(batch, ops));
      return created;
    } catch (Exception e) {
      throw storeFailure("create " + toCreate.size() + " run records", e);
    }
  }

  /** Records one batch in one transaction; a slot recorded before, or a missing runs' znode, one by one. */
  private List<Run> createBatch(List<Run> batch, List<CuratorOp> ops) throws Exception {
    try {
      epoch.commit(zk, "record " + batch.size() + " runs", ops);
      return List.copyOf(batch);
    } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException e) {
      return createOneByOne(batch);
    }
  }

  private List<Run> createOneByOne(List<Run> toCreate) throws Exception {
    List<Run> created = new ArrayList<>();
    for (Run r : toCreate) {
      List<CuratorOp> op = List.of(zk.transactionOp().create().forPath(runsPath(r.job()) + "/" + r.key(), bytes(r)));
      try {
        try {
          epoch.commit(zk, "record run " + r.taskId(), op);
        } catch (KeeperException.NoNodeException e) {
          ensureDirectory(runsPath(r.job()));
          epoch.commit(zk, "record run " + r.taskId(), op);
        }
        created.add(r);
      } catch (KeeperException.NodeExistsException exists) {
        // This slot was recorded before: never launch it twice.
      }
    }
    return created;
  }

  @Override
  public void putRun(Run run) {
    write(runsPath(run.job()) + "/" + run.key(), run);
  }

  @Override
  public void deleteRun(Run run) {
    delete(runsPath(run.job()) + "/" + run.key());
  }

  @Override
  public List<Run> runs(String job) {
    List<Run> out = new ArrayList<>();
    for (String child : children(runsPath(job))) {
      read(runsPath(job) + "/" + child, Run.class).ifPresent(out::add);
    }
    out.sort(Comparator.comparingLong(Run::slot).thenComparingLong(Run::created));
    return out;
  }

  @Override
  public Optional<String> frameworkId() {
    try {
      byte[] data = zk.getData().forPath(root + "/framework-id");
      return Optional.of(new String(data, StandardCharsets.UTF_8));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw storeFailure("read the framework id", e);
    }
  }

  @Override
  public void putFrameworkId(String id) {
    writeBytes(root + "/framework-id", id.getBytes(StandardCharsets.UTF_8));
  }

  // ZooKeeper plumbing.

  private List<String> children(String path) {
    try {
      return zk.getChildren().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw storeFailure("list " + path, e);
    }
  }

  private <T> Optional<T> read(String path, Class<T> type) {
    try {
      return Optional.of(JSON.readValue(zk.getData().forPath(path), type));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("unreadable " + type.getSimpleName() + " at znode " + path + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw storeFailure("read " + path, e);
    }
  }

  private void write(String path, Object value) {
    writeBytes(path, bytes(value));
  }

  private void writeBytes(String path, byte[] data) {
    try {
      try {
        epoch.commit(zk, "write " + path, List.of(zk.transactionOp().setData().forPath(path, data)));
      } catch (KeeperException.NoNodeException e) {
        ensureParent(path);
        epoch.commit(zk, "write " + path, List.of(zk.transactionOp().create().forPath(path, data)));
      }
    } catch (Exception e) {
      throw storeFailure("write " + path, e);
    }
  }

  private void delete(String path) {
    try {
      epoch.commit(zk, "delete " + path, List.of(zk.transactionOp().delete().forPath(path)));
    } catch (KeeperException.NoNodeException e) {
      // Already gone.
    } catch (Exception e) {
      throw storeFailure("delete " + path, e);
    }
  }

  /** Creates the parents of {@code path} that are missing: empty directories, fenced like every write. */
  private void ensureParent(String path) throws Exception {
    ensureDirectory(ZKPaths.getPathAndNode(path).getPath());
  }

  private void ensureDirectory(String dir) throws Exception {
    if (dir.equals("/") || zk.checkExists().forPath(dir) != null) {
      return;
    }
    ensureParent(dir);
    try {
      epoch.commit(zk, "create " + dir, List.of(zk.transactionOp().create().forPath(dir)));
    } catch (KeeperException.NodeExistsException raced) {
      // Created meanwhile: what we wanted.
    }
  }

  private static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + value.getClass().getSimpleName(), e);
    }
  }

  private static RuntimeException storeFailure(String what, Exception e) {
    if (e instanceof FencedException fenced) {
      return fenced;
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new IllegalStateException("ZooKeeper: cannot " + what + ": " + e.getMessage(), e);
  }

  static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  static String decode(String node) {
    return URLDecoder.decode(node, StandardCharsets.UTF_8);
  }
}
