package io.trellis.api;

import java.util.List;

/**
 * A call from a framework to the master ({@code POST /api/v1/scheduler}). Exactly the field that
 * matches {@code type} is set, except ACKNOWLEDGE, which carries {@code acknowledge} (one update),
 * {@code acknowledgements} (many, in one call) or both. Every call but SUBSCRIBE carries {@code
 * frameworkId} and the {@code Trellis-Stream-Id} header of the subscription.
 */
public record SchedulerCall(Type type, String frameworkId, Subscribe subscribe, Accept accept,
    Decline decline, Kill kill, Acknowledge acknowledge, Reconcile reconcile, Roles suppress,
    Roles revive, List<Acknowledge> acknowledgements, Request request) {

  /** A call without a list of acknowledgements (the form before batched ACKNOWLEDGE). */
  public SchedulerCall(Type type, String frameworkId, Subscribe subscribe, Accept accept,
      Decline decline, Kill kill, Acknowledge acknowledge, Reconcile reconcile, Roles suppress,
      Roles revive) {
    this(type, frameworkId, subscribe, accept, decline, kill, acknowledge, reconcile, suppress, revive, null);
  }

  /** A call without a request (the form before REQUEST). */
  public SchedulerCall(Type type, String frameworkId, Subscribe subscribe, Accept accept,
      Decline decline, Kill kill, Acknowledge acknowledge, Reconcile reconcile, Roles suppress,
      Roles revive, List<Acknowledge> acknowledgements) {
    this(type, frameworkId, subscribe, accept, decline, kill, acknowledge, reconcile, suppress, revive,
        acknowledgements, null);
  }

  public enum Type { SUBSCRIBE, ACCEPT, DECLINE, KILL, ACKNOWLEDGE, RECONCILE, SUPPRESS, REVIVE, TEARDOWN, REQUEST }

  public record Subscribe(FrameworkInfo frameworkInfo) {}

  /**
   * Launches tasks on the offers' resources; the rest is declined with {@code filters}.
   *
   * <p>One ACCEPT may hold offers of many agents. The master groups the offers by agent and each
   * task joins the group of the agent it names ({@code TaskSpec.agentId}); a task that names no
   * agent joins the only group when every offer is on one agent. Each group is validated against
   * its own agent's offers exactly as a single-agent ACCEPT: a task gets TASK_ERROR, with the
   * reason, when it is invalid, repeats a task id, names an agent none of the call's offers is
   * on (or names none while the offers span agents), or does not fit in what remains of its
   * group's offers. A failed task changes nothing else: the other tasks of its group and the
   * other groups launch. Every offer named is used up: what its agent's tasks do not take goes
   * back to the allocator with {@code filters}. An offer id the master does not hold for this
   * framework (unknown, rescinded, already used, or another framework's) is ignored but
   * reported: every task that found no offer of its agent fails naming that offer.
   */
  public record Accept(List<String> offerIds, List<TaskSpec> launch, Filters filters) {}

  public record Decline(List<String> offerIds, Filters filters) {}

  public record Kill(String taskId, String agentId) {}

  /** Acknowledges the update {@code uuid} of a task: its agent may forget it. */
  public record Acknowledge(String agentId, String taskId, String uuid) {
    public static Acknowledge of(TaskStatus status) {
      return new Acknowledge(status.agentId(), status.taskId(), status.uuid());
    }
  }

  /** Explicit reconciliation of the listed tasks, or implicit (every task) when empty. */
  public record Reconcile(List<TaskRef> tasks) {}

  public record TaskRef(String taskId, String agentId) {}

  /** The roles a SUPPRESS or REVIVE applies to; every role of the framework when empty. */
  public record Roles(List<String> roles) {}

  /** @param refuseSeconds how long declined resources are not offered again to this framework */
  public record Filters(Double refuseSeconds) {}

  /**
   * REQUEST: everything the framework waits for now, replacing what it stated before (an empty
   * list: nothing waits). A demand that keeps its id and definition keeps its place in line.
   */
  public record Request(List<Demand> demands) {}

  /**
   * Work waiting for resources: {@code count} members of the shape {@code resources} (one
   * member, Mesos text form, scalars only) under {@code role}, placed by {@code constraints}
   * (Marathon style: {@code ["hostname","UNIQUE"]}, {@code ["rack","CLUSTER","r1"]}, {@code
   * ["hostname","LIKE","regex"]}, {@code UNLIKE}, {@code ["rack","MAX_PER","2"]}). Without
   * {@code gang} the demand only tells the allocator the smallest offer worth making; with it
   * the members are held and offered together.
   */
  public record Demand(String id, String role, String resources, int count,
      List<List<String>> constraints, Gang gang) {}

  /**
   * All-or-nothing: the members are offered together, in one OFFERS event, once {@code
   * minMember} of them fit. {@code timeoutSeconds} (900 when null) bounds the wait; then a SOFT
   * gang falls back to ordinary offers and a HARD one fails (a GANG event says why).
   */
  public record Gang(int minMember, Double timeoutSeconds, GangMode mode) {}

  public enum GangMode { SOFT, HARD }

  public static SchedulerCall request(String frameworkId, List<Demand> demands) {
    return new SchedulerCall(Type.REQUEST, frameworkId, null, null, null, null, null, null, null, null,
        null, new Request(demands));
  }

  public static SchedulerCall subscribe(FrameworkInfo info) {
    return new SchedulerCall(Type.SUBSCRIBE, info.id(), new Subscribe(info), null, null, null,
        null, null, null, null);
  }

  public static SchedulerCall accept(String frameworkId, List<String> offerIds, List<TaskSpec> tasks,
      Double refuseSeconds) {
    return new SchedulerCall(Type.ACCEPT, frameworkId, null,
        new Accept(offerIds, tasks, new Filters(refuseSeconds)), null, null, null, null, null, null);
  }

  public static SchedulerCall decline(String frameworkId, List<String> offerIds, Double refuseSeconds) {
    return new SchedulerCall(Type.DECLINE, frameworkId, null, null,
        new Decline(offerIds, new Filters(refuseSeconds)), null, null, null, null, null);
  }

  public static SchedulerCall kill(String frameworkId, String taskId, String agentId) {
    return new SchedulerCall(Type.KILL, frameworkId, null, null, null, new Kill(taskId, agentId),
        null, null, null, null);
  }

  public static SchedulerCall acknowledge(String frameworkId, TaskStatus status) {
    return new SchedulerCall(Type.ACKNOWLEDGE, frameworkId, null, null, null, null,
        Acknowledge.of(status), null, null, null);
  }

  /** One ACKNOWLEDGE for many updates, of any tasks and agents. */
  public static SchedulerCall acknowledge(String frameworkId, List<TaskStatus> statuses) {
    return new SchedulerCall(Type.ACKNOWLEDGE, frameworkId, null, null, null, null, null, null, null, null,
        statuses.stream().map(Acknowledge::of).toList());
  }

  public static SchedulerCall reconcile(String frameworkId, List<TaskRef> tasks) {
    return new SchedulerCall(Type.RECONCILE, frameworkId, null, null, null, null, null,
        new Reconcile(tasks), null, null);
  }

  public static SchedulerCall suppress(String frameworkId, List<String> roles) {
    return new SchedulerCall(Type.SUPPRESS, frameworkId, null, null, null, null, null, null,
        new Roles(roles), null);
  }

  public static SchedulerCall revive(String frameworkId, List<String> roles) {
    return new SchedulerCall(Type.REVIVE, frameworkId, null, null, null, null, null, null, null,
        new Roles(roles));
  }

  public static SchedulerCall teardown(String frameworkId) {
    return new SchedulerCall(Type.TEARDOWN, frameworkId, null, null, null, null, null, null, null, null);
  }
}
