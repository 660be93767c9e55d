package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.allocator.sorter.DrfSorter;
import java.util.Arrays;

/**
 * One role in the hierarchy. Its {@link #children} sorter orders the child roles and, when the
 * role has frameworks of its own, a virtual leaf standing for them ({@link #selfClient}); its
 * {@link #frameworks} sorter orders those frameworks. A client is active in a sorter only while
 * its subtree has a framework that can take offers, so the allocation loop never walks idle
 * subtrees.
 */
final class RoleNode {
  final String name;
  final RoleNode parent;
  final DrfSorter children = new DrfSorter(STRIDE);
  RoleNode[] childByClient = new RoleNode[4];
  int[] childVisit = new int[4];
  int selfClient = -1;
  int clientInParent = -1;

  final DrfSorter frameworks = new DrfSorter(STRIDE);
  int[] subByClient = new int[4];
  int[] frameworkVisit = new int[4];

  /** Scalars allocated to the whole subtree. */
  final long[] allocated = new long[STRIDE];
  double weight = 1.0;
  /** The role's weighted fair fraction of the cluster among the roles waiting now (fair offers). */
  double fairFraction = 1.0;
  /** Guaranteed amounts per kind, or {@code null}. */
  long[] guarantee;
  /** Limits per kind ({@link Long#MAX_VALUE} when a kind is unlimited), or {@code null}. */
  long[] limit;
  /** Whether this role or an ancestor has a limit. */
  boolean limitedChain;
  int quotaClient = -1;
  /** Subscriptions in the subtree that can take offers now. */
  int eligible;
  /** Subscriptions of this role itself that can take offers now. */
  int ownEligible;
  int ownSubs;

  RoleNode(String name, RoleNode parent) {
    this.name = name;
    this.parent = parent;
  }

  boolean isRoot() {
    return parent == null;
  }

  int addChild(RoleNode child, double childWeight) {
    int c = children.add(childWeight);
    children.deactivate(c);
    if (c >= childByClient.length) {
      childByClient = Arrays.copyOf(childByClient, Math.max(c + 1, childByClient.length * 2));
      childVisit = Arrays.copyOf(childVisit, childByClient.length);
    }
    childByClient[c] = child;
    return c;
  }

  int addFramework(int sub) {
    int c = frameworks.add(1.0);
    frameworks.deactivate(c);
    if (c >= subByClient.length) {
      subByClient = Arrays.copyOf(subByClient, Math.max(c + 1, subByClient.length * 2));
      frameworkVisit = Arrays.copyOf(frameworkVisit, subByClient.length);
    }
    subByClient[c] = sub;
    return c;
  }

  /** The remaining guarantee of kind {@code k}, 0 when satisfied or none. */
  long unsatisfied(int k) {
    return guarantee == null ? 0 : Math.max(0, guarantee[k] - allocated[k]);
  }

  boolean guaranteeUnsatisfied(int kinds) {
    if (guarantee == null) {
      return false;
    }
    for (int k = 0; k < kinds; k++) {
      if (guarantee[k] > allocated[k]) {
        return true;
      }
    }
    return false;
  }

  /** Room left under the limits of this role and its ancestors, for kind {@code k}. */
  long limitRoom(int k) {
    long room = Long.MAX_VALUE;
    for (RoleNode n = this; n != null && n.limitedChain; n = n.parent) {
      if (n.limit != null && n.limit[k] != Long.MAX_VALUE) {
        room = Math.min(room, Math.max(0, n.limit[k] - n.allocated[k]));
      }
    }
    return room;
  }

  /** The nearest role, this one or an ancestor, whose limit leaves no room for kind {@code k}. */
  RoleNode limitingRole(int k) {
    for (RoleNode n = this; n != null && n.limitedChain; n = n.parent) {
      if (n.limit != null && n.limit[k] != Long.MAX_VALUE && n.allocated[k] >= n.limit[k]) {
        return n;
      }
    }
    return null;
  }
}
