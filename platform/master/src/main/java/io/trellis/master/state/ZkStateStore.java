package io.trellis.master.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.utils.PathUtils;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * A state store in ZooKeeper: one znode per entity at {@code {base}/{collection}/{id}}, names
 * percent-encoded, the znode version as the entity version. Every write is one transaction that
 * first checks the leader's {@link Fence}, so a master that lost the leadership writes nothing.
 * Reads are not fenced: standbys may read.
 */
public final class ZkStateStore implements StateStore {
  private static final int ATTEMPTS = 10;
  private static final long READ_TIMEOUT_SECONDS = 60;
  private final CuratorFramework client;
  private final String base;
  private final Fence fence;

  /**
   * @param client a started client
   * @param base the znode under which collections live, such as {@code ZkLayout.state()}
   * @param fence the fence the leader got when elected
   */
  public ZkStateStore(CuratorFramework client, String base, Fence fence) {
    this.client = client;
    this.base = PathUtils.validatePath(base);
    this.fence = fence;
  }

  public Fence fence() {
    return fence;
  }

  @Override
  public Optional<Versioned> get(String collection, String id) {
    EntityKey key = new EntityKey(collection, id);
    String path = path(key);
    try {
      Stat stat = new Stat();
      byte[] data = client.getData().storingStatIn(stat).forPath(path);
      return Optional.of(new Versioned(data, stat.getVersion()));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw failure("read " + key, path, e);
    }
  }

  @Override
  public List<String> ids(String collection) {
    EntityKey.checkCollection(collection);
    String path = collectionPath(collection);
    try {
      List<String> ids = new ArrayList<>();
      for (String name : client.getChildren().forPath(path)) {
        ids.add(ZnodeNames.decode(name));
      }
      Collections.sort(ids);
      return List.copyOf(ids);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw failure("list collection " + collection, path, e);
    }
  }

  /** Reads the entities in parallel (pipelined), skipping any deleted meanwhile. */
  @Override
  public Map<String, Versioned> getAll(String collection) {
    Map<String, CompletableFuture<Versioned>> reads = new TreeMap<>();
    String what = "read collection " + collection;
    try {
      for (String id : ids(collection)) {
        CompletableFuture<Versioned> read = new CompletableFuture<>();
        client.getData().inBackground((c, event) -> {
          Code code = Code.get(event.getResultCode());
          if (code == Code.OK) {
            read.complete(new Versioned(event.getData(), event.getStat().getVersion()));
          } else if (code == Code.NONODE) {
            read.complete(null);
          } else {
            read.completeExceptionally(KeeperException.create(code, event.getPath()));
          }
        }).forPath(path(new EntityKey(collection, id)));
        reads.put(id, read);
      }
      Map<String, Versioned> all = new LinkedHashMap<>();
      for (Map.Entry<String, CompletableFuture<Versioned>> read : reads.entrySet()) {
        Versioned value = read.getValue().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (value != null) {
          all.put(read.getKey(), value);
        }
      }
      return Collections.unmodifiableMap(all);
    } catch (ExecutionException e) {
      throw failure(what, collectionPath(collection), e.getCause() instanceof Exception c ? c : e);
    } catch (TimeoutException e) {
      throw new StateStoreException("cannot " + what + " at " + collectionPath(collection) + ": no answer from "
          + "ZooKeeper within " + READ_TIMEOUT_SECONDS + "s; is ZooKeeper reachable?", e);
    } catch (StateStoreException e) {
      throw e;
    } catch (Exception e) {
      throw failure(what, collectionPath(collection), e);
    }
  }

  @Override
  public int put(String collection, String id, byte[] value) {
    EntityKey key = new EntityKey(collection, id);
    key.checkValue(value);
    String path = path(key);
    try {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        try {
          return update(key, path, value, -1);
        } catch (KeeperException e) {
          if (firstError(e).code() != Code.NONODE) {
            throw e;
          }
        }
        try {
          return create(key, path, value);
        } catch (KeeperException e) {
          Code code = firstError(e).code();
          if (code != Code.NODEEXISTS && code != Code.NONODE) {
            throw e; // else created, or its collection removed, concurrently: try again
          }
        }
      }
      throw new StateStoreException("cannot write " + key + " at " + path + ": it kept changing concurrently "
          + "through " + ATTEMPTS + " attempts; is another process writing under " + base + "?");
    } catch (StateStoreException e) {
      throw e;
    } catch (Exception e) {
      throw failure("write " + key, path, e);
    }
  }

  @Override
  public int putIfVersion(String collection, String id, byte[] value, int expectedVersion) {
    EntityKey key = new EntityKey(collection, id);
    key.checkValue(value);
    EntityKey.checkExpectedVersion(expectedVersion);
    String path = path(key);
    try {
      if (expectedVersion != ABSENT) {
        try {
          return update(key, path, value, expectedVersion);
        } catch (KeeperException e) {
          Code code = firstError(e).code();
          if (code == Code.NONODE) {
            throw key.conflict(expectedVersion, "it does not exist");
          }
          if (code == Code.BADVERSION) {
            throw key.conflict(expectedVersion, describeVersion(path));
          }
          throw e;
        }
      }
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        try {
          return create(key, path, value);
        } catch (KeeperException e) {
          OpError error = firstError(e);
          if (error.last() && error.code() == Code.NODEEXISTS) {
            throw key.conflict(expectedVersion, describeVersion(path));
          }
          if (error.code() != Code.NODEEXISTS && error.code() != Code.NONODE) {
            throw e; // else its collection appeared or vanished concurrently: try again
          }
        }
      }
      throw new StateStoreException("cannot create " + key + " at " + path + ": its collection kept changing "
          + "through " + ATTEMPTS + " attempts; is another process writing under " + base + "?");
    } catch (StateStoreException e) {
      throw e;
    } catch (Exception e) {
      throw failure("write " + key, path, e);
    }
  }

  @Override
  public boolean delete(String collection, String id) {
    EntityKey key = new EntityKey(collection, id);
    String path = path(key);
    try {
      fence.commit(client, key.toString(), List.of(client.transactionOp().delete().forPath(path)));
      return true;
    } catch (KeeperException e) {
      if (firstError(e).code() == Code.NONODE) {
        return false;
      }
      throw failure("delete " + key, path, e);
    } catch (StateStoreException e) {
      throw e;
    } catch (Exception e) {
      throw failure("delete " + key, path, e);
    }
  }

  /** Sets the value if the znode is at {@code version} (-1: any), returning the new version. */
  private int update(EntityKey key, String path, byte[] value, int version) throws Exception {
    CuratorOp set = client.transactionOp().setData().withVersion(version).forPath(path, value);
    return fence.commit(client, key.toString(), List.of(set)).get(0).getResultStat().getVersion();
  }

  /** Creates the znode and any missing ancestors, in one fenced transaction; returns version 0. */
  private int create(EntityKey key, String path, byte[] value) throws Exception {
    List<String> missing = new ArrayList<>();
    for (String parent = ZKPaths.getPathAndNode(path).getPath(); !parent.equals("/")
        && client.checkExists().forPath(parent) == null; parent = ZKPaths.getPathAndNode(parent).getPath()) {
      missing.add(0, parent);
    }
    List<CuratorOp> ops = new ArrayList<>();
    for (String parent : missing) {
      ops.add(client.transactionOp().create().forPath(parent, new byte[0]));
    }
    ops.add(client.transactionOp().create().forPath(path, value));
    fence.commit(client, key.toString(), ops);
    return 0;
  }

  private String describeVersion(String path) {
    try {
      Stat stat = client.checkExists().forPath(path);
      return stat == null ? "it does not exist" : "it is at version " + stat.getVersion();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return "it changed";
    }
  }

  /** The operation of a failed transaction that failed, and whether it was the last one. */
  private record OpError(Code code, boolean last) {}

  private static OpError firstError(KeeperException e) {
    List<OpResult> results = e.getResults();
    if (results != null) {
      for (int i = 1; i < results.size(); i++) {
        if (results.get(i) instanceof OpResult.ErrorResult error && error.getErr() != 0) {
          return new OpError(Code.get(error.getErr()), i == results.size() - 1);
        }
      }
    }
    return new OpError(e.code(), false);
  }

  private String collectionPath(String collection) {
    return ZKPaths.makePath(base, ZnodeNames.encode(collection));
  }

  private String path(EntityKey key) {
    return ZKPaths.makePath(base, ZnodeNames.encode(key.collection()), ZnodeNames.encode(key.id()));
  }

  private StateStoreException failure(String what, String path, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new StateStoreException("interrupted while trying to " + what + " at " + path, e);
    }
    if (e instanceof StateStoreException s) {
      return s;
    }
    return new StateStoreException("cannot " + what + " at " + path + ": " + e.getMessage()
        + "; is ZooKeeper reachable?", e);
  }

  @Override
  public String toString() {
    return "ZkStateStore[" + base + ", " + fence + "]";
  }
}
