package io.trellis.api;

import java.util.List;

/**
 * A call from a framework to the master ({@code POST /api/v1/scheduler}). Exactly the field that
 * matches {@code type} is set. Every call but SUBSCRIBE carries {@code frameworkId} and the
 * {@code Trellis-Stream-Id} header of the subscription.
 */
public record SchedulerCall(Type type, String frameworkId, Subscribe subscribe, Accept accept,
    Decline decline, Kill kill, Acknowledge acknowledge, Reconcile reconcile, Roles suppress,
    Roles revive) {

  public enum Type { SUBSCRIBE, ACCEPT, DECLINE, KILL, ACKNOWLEDGE, RECONCILE, SUPPRESS, REVIVE, TEARDOWN }

  public record Subscribe(FrameworkInfo frameworkInfo) {}

  /** Launches tasks on the offers' resources; the rest is declined with {@code filters}. */
  public record Accept(List<String> offerIds, List<TaskSpec> launch, Filters filters) {}

  public record Decline(List<String> offerIds, Filters filters) {}

  public record Kill(String taskId, String agentId) {}

  public record Acknowledge(String agentId, String taskId, String uuid) {}

  /** Explicit reconciliation of the listed tasks, or implicit (every task) when empty. */
  public record Reconcile(List<TaskRef> tasks) {}

  public record TaskRef(String taskId, String agentId) {}

  /** The roles a SUPPRESS or REVIVE applies to; every role of the framework when empty. */
  public record Roles(List<String> roles) {}

  /** @param refuseSeconds how long declined resources are not offered again to this framework */
  public record Filters(Double refuseSeconds) {}

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
        new Acknowledge(status.agentId(), status.taskId(), status.uuid()), null, null, null);
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
