package io.trellis.services.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.trellis.api.Json;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.AppId;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.instance.Instance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;

/**
 * The store in ZooKeeper under the framework's own root ({@code /trellis/services}): one znode
 * per app, per app version, per instance and per deployment, never one for a collection.
 */
public final class ZkServiceStore implements ServiceStore {
  /** Versions kept per app; older ones are removed. */
  static final int MAX_VERSIONS = 50;
  private static final int BATCH = 250;
  /**
   * The most one transaction of new instances carries: ZooKeeper refuses a request over 1 MB
   * (jute.maxbuffer), and instances on agents with many attributes are large.
   */
  static final int MAX_TRANSACTION_BYTES = 512 * 1024;

  /**
   * The ZooKeeper session: a standby instance takes over this long after its leader vanished
   * (a leader that only loses its connection stops leading at once).
   */
  private static final int SESSION_MS = 10_000;
  private final CuratorFramework zk;
  private final String root;
  private final boolean owned;
  private final ObjectMapper json = Json.mapper();

  public ZkServiceStore(CuratorFramework zk, String root) {
    this(zk, root, false);
  }

  private ZkServiceStore(CuratorFramework zk, String root, boolean owned) {
    this.zk = zk;
    this.root = root;
    this.owned = owned;
  }

  /** Connects to {@code connectString} and keeps the state under {@code root}. */
  public static ZkServiceStore connect(String connectString, String root) throws InterruptedException {
    return connect(connectString, root, null);
  }

  /**
   * As {@link #connect(String, String)}, authenticating with {@code credentials} (null: none):
   * the state's znodes are then the cluster's only, the election under {@code root/leader}
   * readable by anyone.
   */
  public static ZkServiceStore connect(String connectString, String root, io.trellis.security.zk.ZkCredentials credentials)
      throws InterruptedException {
    CuratorFramework zk = io.trellis.security.zk.ZkCredentials.apply(credentials, CuratorFrameworkFactory.builder()
        .connectString(connectString)
        .retryPolicy(new ExponentialBackoffRetry(200, 10)).sessionTimeoutMs(SESSION_MS)
        .connectionTimeoutMs(10_000), root + "/leader").build();
    zk.start();
    if (!zk.blockUntilConnected(30, java.util.concurrent.TimeUnit.SECONDS)) {
      zk.close();
      throw new StoreException("cannot reach ZooKeeper at " + connectString + " within 30 s");
    }
    return new ZkServiceStore(zk, root, true);
  }

  /** The ZooKeeper client, shared with the leader election. */
  public CuratorFramework curator() {
    return zk;
  }

  @Override
  public Optional<String> frameworkId() {
    return read(root + "/framework-id").map(b -> new String(b, StandardCharsets.UTF_8));
  }

  @Override
  public void frameworkId(String id) {
    write(root + "/framework-id", id.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public List<AppDefinition> apps() {
    return readAll(root + "/apps", AppDefinition.class);
  }

  @Override
  public void putApp(AppDefinition app) {
    String name = AppId.encode(app.id());
    byte[] data = bytes(app);
    write(root + "/versions/" + name + "/" + AppId.encode(app.version()), data);
    write(root + "/apps/" + name, data);
    List<String> versions = versions(app.id());
    for (int i = 0; i < versions.size() - MAX_VERSIONS; i++) {
      delete(root + "/versions/" + name + "/" + AppId.encode(versions.get(i)));
    }
  }

  @Override
  public void deleteApp(String appId) {
    String name = AppId.encode(appId);
    delete(root + "/apps/" + name);
    delete(root + "/versions/" + name);
  }

  @Override
  public List<String> versions(String appId) {
    List<String> out = new ArrayList<>();
    for (String c : children(root + "/versions/" + AppId.encode(appId))) {
      out.add(AppId.decode(c));
    }
    Collections.sort(out);
    return out;
  }

  @Override
  public Optional<AppDefinition> version(String appId, String version) {
    return read(root + "/versions/" + AppId.encode(appId) + "/" + AppId.encode(version))
        .map(b -> parse(b, AppDefinition.class));
  }

  @Override
  public List<Instance> instances() {
    return readAll(root + "/instances", Instance.class);
  }

  @Override
  public void putInstances(List<Instance> instances) {
    try {
      zk.create().creatingParentsIfNeeded().forPath(root + "/instances");
    } catch (KeeperException.NodeExistsException e) {
      // Already there.
    } catch (Exception e) {
      throw new StoreException("cannot create " + root + "/instances: " + e.getMessage(), e);
    }
    List<CuratorOp> ops = new ArrayList<>();
    long bytes = 0;
    for (Instance i : instances) {
      byte[] data = bytes(i);
      if (ops.size() == BATCH || (!ops.isEmpty() && bytes + data.length > MAX_TRANSACTION_BYTES)) {
        commit(ops);
        ops = new ArrayList<>();
        bytes = 0;
      }
      try {
        ops.add(zk.transactionOp().create().forPath(root + "/instances/" + i.taskId(), data));
      } catch (Exception e) {
        throw new StoreException("cannot store instance " + i.taskId() + ": " + e.getMessage(), e);
      }
      bytes += data.length + 100;
    }
    commit(ops);
  }

  private void commit(List<CuratorOp> ops) {
    if (ops.isEmpty()) {
      return;
    }
    try {
      zk.transaction().forOperations(ops);
    } catch (Exception e) {
      throw new StoreException("cannot store " + ops.size() + " instances: " + e.getMessage(), e);
    }
  }

  @Override
  public void updateInstance(Instance instance) {
    String path = root + "/instances/" + instance.taskId();
    try {
      zk.setData().forPath(path, bytes(instance));
    } catch (KeeperException.NoNodeException e) {
      // The instance ended and was removed meanwhile.
    } catch (Exception e) {
      throw new StoreException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void deleteInstance(String taskId) {
    delete(root + "/instances/" + taskId);
  }

  @Override
  public List<Deployment> deployments() {
    return readAll(root + "/deployments", Deployment.class);
  }

  @Override
  public void putDeployment(Deployment d) {
    write(root + "/deployments/" + d.id(), bytes(d));
  }

  @Override
  public void deleteDeployment(String id) {
    delete(root + "/deployments/" + id);
  }

  @Override
  public void close() {
    if (owned) {
      zk.close();
    }
  }

  private <T> List<T> readAll(String path, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (String c : children(path)) {
      read(path + "/" + c).ifPresent(b -> out.add(parse(b, type)));
    }
    return out;
  }

  private List<String> children(String path) {
    try {
      return zk.getChildren().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw new StoreException("cannot list " + path + ": " + e.getMessage(), e);
    }
  }

  private Optional<byte[]> read(String path) {
    try {
      return Optional.of(zk.getData().forPath(path));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw new StoreException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private void write(String path, byte[] data) {
    try {
      try {
        zk.setData().forPath(path, data);
      } catch (KeeperException.NoNodeException e) {
        zk.create().creatingParentsIfNeeded().forPath(path, data);
      }
    } catch (Exception e) {
      throw new StoreException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  private void delete(String path) {
    try {
      zk.delete().deletingChildrenIfNeeded().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      // Already gone.
    } catch (Exception e) {
      throw new StoreException("cannot delete " + path + ": " + e.getMessage(), e);
    }
  }

  private byte[] bytes(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new StoreException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  private <T> T parse(byte[] data, Class<T> type) {
    try {
      return json.readValue(data, type);
    } catch (IOException e) {
      throw new StoreException("corrupt " + type.getSimpleName() + " in ZooKeeper: " + e.getMessage(), e);
    }
  }
}
