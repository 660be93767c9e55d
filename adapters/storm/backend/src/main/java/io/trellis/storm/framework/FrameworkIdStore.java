package io.trellis.storm.framework;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The framework id, kept in ZooKeeper beside Storm's own state, so that a restarted Nimbus
 * subscribes again as the same framework and adopts the supervisors still running.
 */
public final class FrameworkIdStore {
  private final CuratorFramework zk;
  private final String path;

  public FrameworkIdStore(CuratorFramework zk, String path) {
    this.zk = zk;
    this.path = path;
  }

  public Optional<String> read() {
    try {
      return Optional.of(new String(zk.getData().forPath(path), StandardCharsets.UTF_8));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the framework id at " + path + ": " + e.getMessage(), e);
    }
  }

  public void write(String id) {
    byte[] data = id.getBytes(StandardCharsets.UTF_8);
    try {
      if (zk.checkExists().forPath(path) == null) {
        zk.create().creatingParentsIfNeeded().forPath(path, data);
      } else {
        zk.setData().forPath(path, data);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot store the framework id at " + path + ": " + e.getMessage(), e);
    }
  }
}
