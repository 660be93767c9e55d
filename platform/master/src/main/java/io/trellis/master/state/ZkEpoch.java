package io.trellis.master.state;

import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The leader epoch counter: one znode holding the epoch as decimal text. Each newly elected
 * leader {@link #advance()}s it, which fences every earlier leader's writes.
 */
public final class ZkEpoch {
  private final CuratorFramework client;
  private final String path;

  /** @param path the counter znode, such as {@code ZkLayout.epoch()} */
  public ZkEpoch(CuratorFramework client, String path) {
    this.client = client;
    this.path = path;
  }

  /**
   * Advances the epoch by one with a compare-and-set (creating the counter at 1) and returns the
   * fence of the new epoch. Only the elected leader should call this.
   *
   * @throws StateStoreException if ZooKeeper cannot be reached or the counter is corrupt
   */
  public Fence advance() {
    try {
      while (true) {
        Stat stat = new Stat();
        try {
          long next = parse(client.getData().storingStatIn(stat).forPath(path)) + 1;
          Stat written = client.setData().withVersion(stat.getVersion()).forPath(path, text(next));
          return new Fence(next, path, written.getVersion());
        } catch (KeeperException.NoNodeException e) {
          try {
            client.create().creatingParentsIfNeeded().forPath(path, text(1));
            return new Fence(1, path, 0);
          } catch (KeeperException.NodeExistsException raced) {
            // another contender created it first: read it again
          }
        } catch (KeeperException.BadVersionException raced) {
          // advanced meanwhile: read it again
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateStoreException("interrupted while advancing the epoch at " + path, e);
    } catch (StateStoreException e) {
      throw e;
    } catch (Exception e) {
      throw new StateStoreException("cannot advance the epoch at " + path + ": " + e.getMessage()
          + "; is ZooKeeper reachable?", e);
    }
  }

  /** The current epoch, 0 before the first election. */
  public long current() {
    try {
      return read(client, path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateStoreException("interrupted while reading the epoch at " + path, e);
    } catch (StateStoreException e) {
      throw e;
    } catch (Exception e) {
      throw new StateStoreException("cannot read the epoch at " + path + ": " + e.getMessage()
          + "; is ZooKeeper reachable?", e);
    }
  }

  static long read(CuratorFramework client, String path) throws Exception {
    try {
      return parse(path, client.getData().forPath(path));
    } catch (KeeperException.NoNodeException e) {
      return 0;
    }
  }

  private long parse(byte[] data) {
    return parse(path, data);
  }

  private static long parse(String path, byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8).strip();
    try {
      long epoch = Long.parseLong(text);
      if (epoch >= 0) {
        return epoch;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new StateStoreException("epoch znode " + path + " holds '" + text
        + "', not an epoch number; restore it to the highest epoch used (or more) before starting a master");
  }

  private static byte[] text(long epoch) {
    return Long.toString(epoch).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ZkEpoch[" + path + "]";
  }
}
