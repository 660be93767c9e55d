package io.trellis.client.discovery;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the leader info znode ({@link ZkLayout#leaderInfo()}) that the leading master keeps
 * while it leads. One thread re-reads the znode whenever a watch fires or the connection comes
 * back; when the ZooKeeper session is lost the leader becomes unknown until it is read again.
 */
public final class ZkMasterDetector implements MasterDetector {
  private static final Logger log = LoggerFactory.getLogger(ZkMasterDetector.class);
  private final CuratorFramework client;
  private final boolean ownsClient;
  private final String path;
  private final String source;
  private final LeaderState state;
  private final ExecutorService reader;
  private final CuratorWatcher watcher = event -> refresh();
  private final ConnectionStateListener connectionListener = this::connectionChanged;
  private volatile boolean closed;

  /**
   * Starts following the leader under {@code root} through {@code client}, a started client
   * that the caller keeps and closes.
   */
  public ZkMasterDetector(CuratorFramework client, String root) {
    this(client, false, new ZkLayout(root), client.getZookeeperClient().getCurrentConnectionString());
  }

  private ZkMasterDetector(CuratorFramework client, boolean ownsClient, ZkLayout layout, String servers) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.path = layout.leaderInfo();
    this.source = "zk://" + servers + layout.root();
    this.state = new LeaderState(source, null);
    this.reader = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "trellis-master-detector");
      t.setDaemon(true);
      return t;
    });
    client.getConnectionStateListenable().addListener(connectionListener);
    refresh();
  }

  /** A detector that owns {@code client} (started here, closed with the detector). */
  static ZkMasterDetector owning(CuratorFramework client, ZkAddress address) {
    client.start();
    return new ZkMasterDetector(client, true, address.layout(), address.connectString());
  }

  @Override
  public Optional<MasterInfo> current() {
    return state.current();
  }

  @Override
  public MasterInfo await(Duration timeout) throws InterruptedException {
    MasterInfo leader = state.await(m -> true, timeout);
    if (leader == null) {
      throw new NoLeadingMasterException("no leading master at " + source + " after "
          + LeaderState.show(timeout) + "; " + hint("is a master running?"));
    }
    return leader;
  }

  @Override
  public MasterInfo awaitChange(MasterInfo previous, Duration timeout) throws InterruptedException {
    MasterInfo leader = state.await(m -> !m.equals(previous), timeout);
    if (leader == null) {
      throw new NoLeadingMasterException("no leading master other than " + previous + " at " + source
          + " after " + LeaderState.show(timeout) + "; " + hint("is a standby master running?"));
    }
    return leader;
  }

  private String hint(String otherwise) {
    return client.getZookeeperClient().isConnected()
        ? otherwise
        : "not connected to ZooKeeper at " + source + ": is ZooKeeper running and reachable?";
  }

  @Override
  public void addListener(Listener listener) {
    state.addListener(listener);
  }

  @Override
  public void removeListener(Listener listener) {
    state.removeListener(listener);
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public void close() {
    closed = true;
    client.getConnectionStateListenable().removeListener(connectionListener);
    reader.shutdownNow();
    state.close();
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "ZkMasterDetector[" + source + "]";
  }

  private void connectionChanged(CuratorFramework c, ConnectionState newState) {
    switch (newState) {
      case CONNECTED, RECONNECTED -> refresh();
      case LOST -> run(() -> state.set(null));
      case SUSPENDED, READ_ONLY -> { }
    }
  }

  private void refresh() {
    run(this::read);
  }

  /** Runs {@code task} on the reader thread, so that changes reach the listeners in order. */
  private void run(Runnable task) {
    if (closed) {
      return;
    }
    try {
      reader.execute(task);
    } catch (RejectedExecutionException e) {
      // closed meanwhile: nothing left to follow
    }
  }

  /** Reads the leader info and leaves a watch on it (or on its absence). */
  private void read() {
    if (closed) {
      return;
    }
    try {
      byte[] data;
      try {
        data = client.getData().usingWatcher(watcher).forPath(path);
      } catch (KeeperException.NoNodeException e) {
        Stat stat = client.checkExists().usingWatcher(watcher).forPath(path);
        if (stat == null) {
          state.set(null);
        } else {
          refresh(); // created in between: read it
        }
        return;
      }
      state.set(parse(data));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Connection trouble: the connection listener reads again once it is back.
      if (!closed) {
        log.debug("cannot read leader info at {}{}: {}", source, path, e.toString());
      }
    }
  }

  private MasterInfo parse(byte[] data) {
    try {
      return MasterInfo.fromJson(data);
    } catch (IllegalArgumentException e) {
      log.warn("ignoring leader info at {} (path {}): {}", source, path, e.getMessage());
      return null;
    }
  }
}
