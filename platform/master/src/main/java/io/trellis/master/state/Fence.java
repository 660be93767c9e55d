package io.trellis.master.state;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;

/**
 * A leader's proof of leadership: the epoch it advanced the counter to when elected, and the
 * version that write gave the epoch znode. Writes carried out through {@link #commit} succeed only
 * while the epoch znode is still at that version, that is, until a newer leader advances it.
 *
 * @param epoch the leader's epoch, from 1
 * @param epochPath the epoch counter znode, such as {@code /trellis/epoch}
 * @param epochVersion the znode version this leader's advance produced
 */
public record Fence(long epoch, String epochPath, int epochVersion) {
  public Fence {
    if (epoch < 1) {
      throw new IllegalArgumentException("bad epoch " + epoch + ": epochs start at 1");
    }
    if (epochPath == null || !epochPath.startsWith("/")) {
      throw new IllegalArgumentException("bad epoch znode path '" + epochPath + "': expected an absolute path");
    }
    if (epochVersion < 0) {
      throw new IllegalArgumentException("bad epoch znode version " + epochVersion + ": expected 0 or more");
    }
  }

  /**
   * Runs {@code ops} as one ZooKeeper transaction that first checks this fence: all of them or,
   * if a newer leader advanced the epoch, none.
   *
   * @param what the write, for the message of a refusal, such as {@code "agents 'a1'"}
   * @return the results of {@code ops}, in order
   * @throws FencedException if the fence no longer holds; nothing was written
   * @throws KeeperException if one of {@code ops} failed; nothing was written and
   *     {@link KeeperException#getResults()} holds the error of each operation after the check
   */
  public List<CuratorTransactionResult> commit(CuratorFramework client, String what, List<CuratorOp> ops)
      throws Exception {
    List<CuratorOp> all = new ArrayList<>(ops.size() + 1);
    all.add(client.transactionOp().check().withVersion(epochVersion).forPath(epochPath));
    all.addAll(ops);
    try {
      List<CuratorTransactionResult> results = client.transaction().forOperations(all);
      return results.subList(1, results.size());
    } catch (KeeperException e) {
      List<OpResult> results = e.getResults();
      if (results != null && !results.isEmpty()
          && results.get(0) instanceof OpResult.ErrorResult check && check.getErr() != 0) {
        throw fenced(client, what);
      }
      throw e;
    }
  }

  private FencedException fenced(CuratorFramework client, String what) {
    String now;
    try {
      now = "to epoch " + ZkEpoch.read(client, epochPath);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      now = "past it";
    }
    return new FencedException("refused to write " + what + ": this master (epoch " + epoch
        + ") is no longer the leader; a newer leader advanced " + epochPath + " " + now
        + ". Stop writing and step down.", epoch);
  }

  @Override
  public String toString() {
    return "epoch " + epoch + " (" + epochPath + " version " + epochVersion + ")";
  }
}
