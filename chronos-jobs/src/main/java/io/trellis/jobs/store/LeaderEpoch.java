package io.trellis.jobs.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * A leading jobs framework instance's proof of leadership: the epoch it advanced the counter
 * znode to when it took the lead, and the znode version that write produced. Writes go through
 * {@link #commit}, one ZooKeeper transaction that first checks that version, so once a newer
 * leader advances the epoch an older one writes nothing.
 *
 * @param epoch the leader's epoch, from 1
 * @param path the counter znode
 * @param version the version of the counter znode this leader's advance produced
 */
public record LeaderEpoch(long epoch, String path, int version) {
  public LeaderEpoch {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be 1 or more, was " + epoch);
    }
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("epoch znode path must be absolute, was '" + path + "'");
    }
  }

  /**
   * Advances the counter at {@code path} by one (creating it at 1) with a compare-and-set, and
   * returns the new epoch. Only the elected leader calls this.
   */
  public static LeaderEpoch advance(CuratorFramework zk, String path) {
    try {
      while (true) {
        Stat stat = new Stat();
        try {
          long next = parse(path, zk.getData().storingStatIn(stat).forPath(path)) + 1;
          Stat written = zk.setData().withVersion(stat.getVersion()).forPath(path, text(next));
          return new LeaderEpoch(next, path, written.getVersion());
        } catch (KeeperException.NoNodeException e) {
          try {
            zk.create().creatingParentsIfNeeded().forPath(path, text(1));
            return new LeaderEpoch(1, path, 0);
          } catch (KeeperException.NodeExistsException raced) {
            // Another instance created it first: read it again.
          }
        } catch (KeeperException.BadVersionException raced) {
          // Advanced meanwhile: read it again.
        }
      }
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("ZooKeeper: cannot advance the leader epoch at " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code ops} in one transaction after the check of this epoch: all of them, or none.
   *
   * @param what the write, for the message of a refusal
   * @throws FencedException if a newer leader advanced the epoch; nothing was written
   * @throws KeeperException if one of {@code ops} failed; nothing was written
   */
  void commit(CuratorFramework zk, String what, List<CuratorOp> ops) throws Exception {
    List<CuratorOp> all = new ArrayList<>(ops.size() + 1);
    all.add(zk.transactionOp().check().withVersion(version).forPath(path));
    all.addAll(ops);
    try {
      zk.transaction().forOperations(all);
    } catch (KeeperException e) {
      List<OpResult> results = e.getResults();
      boolean checkFailed = results == null || results.isEmpty()
          ? e instanceof KeeperException.BadVersionException
          : results.get(0) instanceof OpResult.ErrorResult err
              && err.getErr() != KeeperException.Code.OK.intValue()
              && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue();
      if (checkFailed) {
        throw new FencedException("refused to " + what + ": this instance's leader epoch " + epoch
            + " was superseded at " + path + " (a newer jobs framework leader took over)");
      }
      throw e;
    }
  }

  private static long parse(String path, byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8).strip();
    try {
      long epoch = Long.parseLong(text);
      if (epoch >= 0) {
        return epoch;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalStateException("epoch znode " + path + " holds '" + text + "', not an epoch number");
  }

  private static byte[] text(long epoch) {
    return Long.toString(epoch).getBytes(StandardCharsets.UTF_8);
  }
}
