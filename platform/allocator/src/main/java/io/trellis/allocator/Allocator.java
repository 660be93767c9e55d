package io.trellis.allocator;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.id.OfferId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Decides which framework is offered which agent's resources. Every change that could produce
 * offers schedules one allocation cycle after the configured batch delay; {@link #allocate()}
 * runs one at once. Not thread-safe: a single event loop owns an allocator, and its timer must
 * run tasks on that loop.
 *
 * <p>Unknown agents, frameworks and offers are reported with {@link IllegalArgumentException}
 * naming the id.
 */
public interface Allocator {
  // Agents.

  /** Adds an agent; {@code used} are resources already held by running tasks. */
  void addAgent(AgentId id, String hostname, Resources total, Attributes attributes, List<Allocation> used);

  /** Changes an agent's total resources (for example after an operator override). */
  void updateAgent(AgentId id, Resources total);

  /** Removes an agent: its outstanding offers are rescinded and its allocations dropped. */
  void removeAgent(AgentId id);

  /** Marks an agent for maintenance (no new offers; outstanding ones rescinded) or back. */
  void setMaintenance(AgentId id, boolean underMaintenance);

  // Frameworks.

  /** Adds a framework subscribed to {@code roles}; it receives offers once active. */
  void addFramework(FrameworkId id, Set<String> roles, boolean active);

  /** Removes a framework: its offers are rescinded and everything it held is recovered. */
  void removeFramework(FrameworkId id);

  /** A disconnected framework stays registered but receives no offers until reactivated. */
  void setActive(FrameworkId id, boolean active);

  /**
   * Takes back every outstanding offer of the framework without telling it (it subscribed again
   * and has forgotten them) and without a filter. A gang whose offers are taken back waits again.
   */
  void withdrawOffers(FrameworkId id);

  /** Stops offers to the framework for {@code roles} (all its roles when empty). */
  void suppress(FrameworkId id, Set<String> roles);

  /** Resumes offers for {@code roles} (all when empty) and clears the framework's filters. */
  void revive(FrameworkId id, Set<String> roles);

  /**
   * Declares the smallest offer a framework can use under a role (its next task's size); smaller
   * offers are not made to it, and {@link #explain} names the agent that is missing.
   */
  void setMinimumOffer(FrameworkId id, String role, Resources need);

  /**
   * Orders the framework among the frameworks of each of its roles: a higher priority is offered
   * resources first, whatever the shares; DRF orders frameworks of equal priority (0 by default).
   */
  void setPriority(FrameworkId id, int priority);

  /**
   * Replaces everything the framework waits for (an empty list: nothing). Plain demands set the
   * smallest offer worth making under their role (the smallest member of each kind); gangs are
   * held and offered together. A demand that keeps its id and definition keeps its place and its
   * hold. Every demand is checked before anything changes: an unknown framework, a role it is
   * not subscribed to or a repeated id is an {@link IllegalArgumentException}.
   */
  void request(FrameworkId id, List<Demand> demands);

  /**
   * Why a gang of {@code minMember} members of {@code member} under {@code role} could never be
   * offered (more than the role's quota limit, or than the registered agents hold, under the
   * constraints); null when it could, or when no agent is registered yet.
   */
  String gangRefusal(String role, Resources member, int minMember, List<MemberConstraint> constraints);

  /** The framework's demands, with the state of its gangs and what each waits for. */
  List<DemandStatus> demands(FrameworkId id);

  /** Resources held by incomplete gangs, by role; they count toward the role's share and quota. */
  java.util.Map<String, Resources> heldByRole();

  /** How many gangs are in each state, over every framework. */
  java.util.Map<DemandStatus.State, Integer> gangCounts();

  // Roles.

  void setWeight(String role, double weight);

  void setQuota(String role, Quota quota);

  // Offers and allocations.

  /**
   * A framework used {@code used} out of an offer; the rest goes back to the agent and is not
   * offered to that framework again for {@code refuseRemainder}.
   */
  void accept(OfferId offer, Resources used, Duration refuseRemainder);

  /** A framework declined an offer; the agent is filtered for it for {@code refuse}. */
  void decline(OfferId offer, Duration refuse);

  /** Takes back an outstanding offer without a filter. */
  void rescind(OfferId offer, String reason);

  /** Resources a framework held on an agent (a finished task) are free again. */
  void release(FrameworkId framework, String role, AgentId agent, Resources resources);

  /** Runs one allocation cycle now and returns the offers it made (also given to the listener). */
  List<Offer> allocate();

  // Introspection.

  /** Why the framework is not being offered resources under {@code role}; empty if nothing prevents it. */
  List<Reason> explain(FrameworkId framework, String role);

  /** The role's weighted dominant share. */
  double roleShare(String role);

  /** The framework's dominant share within {@code role}. */
  double frameworkShare(FrameworkId framework, String role);

  /** Resources currently allocated (offered or used) to the framework under {@code role}. */
  Resources allocated(FrameworkId framework, String role);

  /** Offers made and not yet accepted, declined or rescinded. */
  List<Offer> outstandingOffers();
}
