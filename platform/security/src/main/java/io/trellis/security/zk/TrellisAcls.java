package io.trellis.security.zk;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;

/**
 * The ACLs of the znodes a Trellis client with credentials creates: everything to the
 * authenticated creator (digest), nothing to anyone else, except read access to the leader
 * election znodes the client names (a latch and its children, the master's
 * {@code leader-info}): what a client needs to find the leading master, services or jobs
 * instance, and nothing but an endpoint. State, epochs and fences stay closed to clients
 * without the credentials.
 */
public final class TrellisAcls implements ACLProvider {
  private static final List<ACL> DISCOVERABLE;

  static {
    List<ACL> acls = new ArrayList<>(ZooDefs.Ids.CREATOR_ALL_ACL);
    acls.addAll(ZooDefs.Ids.READ_ACL_UNSAFE);
    // Not List.copyOf: ZooKeeper asks whether the list contains null, which immutable lists refuse.
    DISCOVERABLE = java.util.Collections.unmodifiableList(acls);
  }

  private final List<String> elections;

  /** @param elections the absolute paths of the election znodes anyone may read (and their children) */
  public TrellisAcls(List<String> elections) {
    this.elections = List.copyOf(elections);
  }

  @Override
  public List<ACL> getDefaultAcl() {
    return ZooDefs.Ids.CREATOR_ALL_ACL;
  }

  @Override
  public List<ACL> getAclForPath(String path) {
    return discoverable(path) ? DISCOVERABLE : ZooDefs.Ids.CREATOR_ALL_ACL;
  }

  /** Whether {@code path} is a leader election znode or one of its children. */
  boolean discoverable(String path) {
    if (path == null) {
      return false;
    }
    int slash = path.lastIndexOf('/');
    String parent = slash <= 0 ? "/" : path.substring(0, slash);
    return elections.contains(path) || elections.contains(parent);
  }
}
