package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.allocator.sorter.DrfSorter;
import io.trellis.core.role.Quota;
import io.trellis.core.role.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The role hierarchy with its sorters, quotas and the quota headroom: the unreserved amount per
 * kind that must stay unallocated so that every unsatisfied guarantee can still be met.
 */
final class Roles {
  final RoleNode root = new RoleNode("", null);
  private final Map<String, RoleNode> byName = new HashMap<>();
  private final List<DrfSorter> sorters = new ArrayList<>();
  /** Roles with a guarantee that is not yet met and a framework able to take offers. */
  final DrfSorter quotaSorter = new DrfSorter(STRIDE);
  RoleNode[] quotaByClient = new RoleNode[4];
  int[] quotaVisit = new int[4];
  /** Sum over roles of their unsatisfied guarantee, per kind. */
  final long[] headroom = new long[STRIDE];
  private final Kinds kinds;

  Roles(Kinds kinds) {
    this.kinds = kinds;
    sorters.add(root.children);
    sorters.add(quotaSorter);
  }

  RoleNode find(String name) {
    return byName.get(name);
  }

  RoleNode getOrCreate(String name) {
    RoleNode node = byName.get(name);
    if (node != null) {
      return node;
    }
    Role.validate(name);
    String parentName = Role.parent(name);
    RoleNode parent = parentName == null ? root : getOrCreate(parentName);
    node = new RoleNode(name, parent);
    node.limitedChain = parent.limitedChain;
    node.clientInParent = parent.addChild(node, node.weight);
    sorters.add(node.children);
    sorters.add(node.frameworks);
    byName.put(name, node);
    return node;
  }

  Iterable<RoleNode> all() {
    return byName.values();
  }

  void syncTotals(long[] total, boolean[] excluded) {
    for (DrfSorter s : sorters) {
      s.setTotal(total);
      for (int k = 0; k < STRIDE; k++) {
        s.setExcluded(k, excluded[k]);
      }
    }
  }

  void setWeight(RoleNode node, double weight) {
    node.weight = weight;
    node.parent.children.setWeight(node.clientInParent, weight);
    if (node.quotaClient >= 0) {
      quotaSorter.setWeight(node.quotaClient, weight);
    }
  }

  void setQuota(RoleNode node, Quota quota) {
    headroomRemove(node);
    node.guarantee = quota.guarantee().isEmpty() ? null : kinds.toArray(quota.guarantee());
    if (quota.limit().isEmpty()) {
      node.limit = null;
    } else {
      long[] limit = new long[STRIDE];
      Arrays.fill(limit, Long.MAX_VALUE);
      for (String name : quota.limit().names()) {
        limit[kinds.register(name)] = quota.limit().millis(name);
      }
      node.limit = limit;
    }
    refreshLimitedChain(node);
    if (node.guarantee != null && node.quotaClient < 0) {
      node.quotaClient = quotaSorter.add(node.weight);
      quotaSorter.deactivate(node.quotaClient);
      if (node.quotaClient >= quotaByClient.length) {
        quotaByClient = Arrays.copyOf(quotaByClient, Math.max(node.quotaClient + 1, quotaByClient.length * 2));
        quotaVisit = Arrays.copyOf(quotaVisit, quotaByClient.length);
      }
      quotaByClient[node.quotaClient] = node;
      quotaSorter.allocated(node.quotaClient, node.allocated);
    } else if (node.guarantee == null && node.quotaClient >= 0) {
      quotaSorter.remove(node.quotaClient);
      node.quotaClient = -1;
    }
    headroomAdd(node);
    updateQuotaMembership(node);
  }

  private void refreshLimitedChain(RoleNode node) {
    node.limitedChain = node.limit != null || node.parent.limitedChain;
    for (RoleNode n : byName.values()) {
      if (n.parent == node) {
        refreshLimitedChain(n);
      }
    }
  }

  /** Adds {@code delta} (sign +1) or removes it (sign -1) from a subscription's allocation. */
  void charge(RoleNode role, int frameworkClient, long[] delta, boolean add) {
    if (add) {
      role.frameworks.allocated(frameworkClient, delta);
      role.children.allocated(role.selfClient, delta);
    } else {
      role.frameworks.unallocated(frameworkClient, delta);
      role.children.unallocated(role.selfClient, delta);
    }
    int n = kinds.count();
    for (RoleNode node = role; !node.isRoot(); node = node.parent) {
      if (node.guarantee != null) {
        headroomRemove(node);
      }
      for (int k = 0; k < n; k++) {
        node.allocated[k] += add ? delta[k] : -delta[k];
      }
      if (node.guarantee != null) {
        headroomAdd(node);
        if (add) {
          quotaSorter.allocated(node.quotaClient, delta);
        } else {
          quotaSorter.unallocated(node.quotaClient, delta);
        }
        updateQuotaMembership(node);
      }
      if (add) {
        node.parent.children.allocated(node.clientInParent, delta);
      } else {
        node.parent.children.unallocated(node.clientInParent, delta);
      }
    }
  }

  /** A subscription of {@code role} became able (or unable) to take offers. */
  void eligibilityChanged(RoleNode role, int frameworkClient, boolean eligible) {
    if (eligible) {
      role.frameworks.activate(frameworkClient);
      if (role.ownEligible++ == 0) {
        role.children.activate(role.selfClient);
      }
    } else {
      role.frameworks.deactivate(frameworkClient);
      if (--role.ownEligible == 0) {
        role.children.deactivate(role.selfClient);
      }
    }
    for (RoleNode node = role; !node.isRoot(); node = node.parent) {
      int before = node.eligible;
      node.eligible += eligible ? 1 : -1;
      if (before == 0 && node.eligible == 1) {
        node.parent.children.activate(node.clientInParent);
      } else if (before == 1 && node.eligible == 0) {
        node.parent.children.deactivate(node.clientInParent);
      }
      if (node.guarantee != null) {
        updateQuotaMembership(node);
      }
    }
  }

  boolean anyUnsatisfiedGuarantee() {
    return quotaSorter.size() > 0;
  }

  boolean headroomNeeded() {
    for (int k = 0; k < STRIDE; k++) {
      if (headroom[k] > 0) {
        return true;
      }
    }
    return false;
  }

  private void updateQuotaMembership(RoleNode node) {
    if (node.quotaClient < 0) {
      return;
    }
    boolean want = node.eligible > 0 && node.guaranteeUnsatisfied(kinds.count());
    if (want && !quotaSorter.isActive(node.quotaClient)) {
      quotaSorter.activate(node.quotaClient);
    } else if (!want && quotaSorter.isActive(node.quotaClient)) {
      quotaSorter.deactivate(node.quotaClient);
    }
  }

  private void headroomRemove(RoleNode node) {
    for (int k = 0; k < STRIDE; k++) {
      headroom[k] -= node.unsatisfied(k);
    }
  }

  private void headroomAdd(RoleNode node) {
    for (int k = 0; k < STRIDE; k++) {
      headroom[k] += node.unsatisfied(k);
    }
  }
}
