package io.trellis.services.framework;

import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.core.resource.Resources;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.instance.Instance;
import io.trellis.services.launch.TaskBuilder;
import io.trellis.services.placement.Constraint;
import io.trellis.services.placement.Constraints;
import io.trellis.services.placement.Placer;
import io.trellis.services.placement.Spot;
import io.trellis.services.placement.Veto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches offers to the instances waiting to launch, stores the new instances, then accepts the
 * offers of a whole round in one call (a few for very large rounds).
 * Offers that take nothing are declined; every refusal is counted by kind for {@code /v2/queue}.
 */
final class Offers {
  private static final Logger log = LoggerFactory.getLogger(Offers.class);
  private static final double REFUSE_BUSY = 1;
  private static final double REFUSE_IDLE = 30;
  /** At most this many tasks in one ACCEPT, to keep each call's body well under the master's 4 MB limit. */
  static final int TASKS_PER_ACCEPT = 500;
  private final Parts p;

  Offers(Parts parts) {
    this.p = parts;
  }

  void handle(List<OfferInfo> offers) {
    long t0 = System.nanoTime();
    try {
      handleTimed(offers);
    } finally {
      log.debug("{} offers handled in {} ms", offers.size(), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private void handleTimed(List<OfferInfo> offers) {
    State s = p.state;
    Map<String, Integer> want = new TreeMap<>(s.toLaunch);
    want.values().removeIf(n -> n <= 0);
    if (!p.subscribed || !p.reconciling.isEmpty() || want.isEmpty()) {
      decline(offers, want.isEmpty() && p.subscribed && p.reconciling.isEmpty() ? REFUSE_IDLE : REFUSE_BUSY);
      return;
    }
    Map<String, List<Spot>> placed = new HashMap<>();
    Map<String, List<Constraint>> rules = new HashMap<>();
    for (String appId : List.copyOf(want.keySet())) {
      List<Spot> spots = new ArrayList<>();
      for (Instance i : s.instancesOf(appId)) {
        if (i.isActive()) {
          spots.add(new Spot(i.agentId(), i.hostname(), i.attributes()));
        }
      }
      placed.put(appId, spots);
      try {
        rules.put(appId, Constraints.of(s.apps.get(appId).constraints()));
      } catch (RuntimeException e) {
        Queue.failed(p, s.apps.get(appId), e);
        want.remove(appId);
      }
    }
    Map<String, Map<String, Integer>> refusals = new HashMap<>();
    Map<String, Map<String, Veto>> samples = new HashMap<>();
    Map<OfferInfo, List<TaskSpec>> launches = new LinkedHashMap<>();
    List<Instance> created = new ArrayList<>();
    java.util.Set<String> failed = new java.util.HashSet<>();
    String now = p.now();
    for (OfferInfo offer : offers) {
      Resources remaining = Resources.parse(offer.resources()).flatten();
      Spot spot = new Spot(offer.agentId(), offer.hostname(), offer.attributes());
      for (Map.Entry<String, Integer> w : want.entrySet()) {
        AppDefinition app = s.apps.get(w.getKey());
        if (!Demands.serves(offer, app)) {
          continue;
        }
        while (w.getValue() > 0 && !failed.contains(app.id())) {
          Placer.Result r;
          TaskSpec task;
          String taskId = TaskBuilder.newTaskId(app.id());
          try {
            r = Placer.place(app, rules.get(app.id()), spot, offer.role(), remaining, placed.get(app.id()));
            task = r.placed() ? TaskBuilder.task(app, taskId, offer.agentId(), r.fit()) : null;
          } catch (RuntimeException e) {
            // Reported on the app; the other apps still use this round's offers.
            Queue.failed(p, app, e);
            failed.add(app.id());
            break;
          }
          if (!r.placed()) {
            refusals.computeIfAbsent(app.id(), k -> new LinkedHashMap<>()).merge(r.veto().kind(), 1, Integer::sum);
            samples.computeIfAbsent(app.id(), k -> new HashMap<>()).putIfAbsent(r.veto().kind(), r.veto());
            break;
          }
          remaining = remaining.minus(r.fit().taken());
          launches.computeIfAbsent(offer, k -> new ArrayList<>()).add(task);
          created.add(new Instance(taskId, app.id(), app.configVersion(), offer.agentId(), offer.hostname(),
              offer.attributes(), r.fit().hostPorts(), TaskState.STAGING, null, now, null, false));
          placed.get(app.id()).add(spot);
          w.setValue(w.getValue() - 1);
        }
      }
    }
    if (!created.isEmpty()) {
      try {
        p.store.putInstances(created);
      } catch (RuntimeException e) {
        log.warn("cannot store {} new instances, launching none: {}", created.size(), e.getMessage());
        decline(offers, REFUSE_BUSY);
        return;
      }
      for (Instance i : created) {
        s.instances.put(i.taskId(), i);
      }
      io.trellis.core.CrashPoints.reached("services.instance-stored");
    }
    List<OfferInfo> unused = new ArrayList<>();
    List<String> used = new ArrayList<>();
    List<TaskSpec> tasks = new ArrayList<>();
    for (OfferInfo offer : offers) {
      List<TaskSpec> onOffer = launches.get(offer);
      if (onOffer == null) {
        unused.add(offer);
        continue;
      }
      if (!used.isEmpty() && tasks.size() + onOffer.size() > TASKS_PER_ACCEPT) {
        acceptLater(used, tasks);
        used = new ArrayList<>();
        tasks = new ArrayList<>();
      }
      used.add(offer.id());
      tasks.addAll(onOffer);
    }
    if (!used.isEmpty()) {
      acceptLater(used, tasks);
    }
    for (Map.Entry<String, Integer> w : want.entrySet()) {
      s.toLaunch.put(w.getKey(), w.getValue());
      if (failed.contains(w.getKey())) {
        continue;
      }
      if (w.getValue() > 0 && refusals.containsKey(w.getKey())) {
        Queue.refused(p, w.getKey(), refusals.get(w.getKey()), samples.get(w.getKey()), offers.size());
      } else if (w.getValue() == 0) {
        s.queue.remove(w.getKey());
      }
    }
    if (p.demands != null) {
      p.demands.offered(offers, want);
    }
    boolean more = want.values().stream().anyMatch(n -> n > 0);
    if (more && created.isEmpty() && !unused.isEmpty()) {
      // No waiting app could use any offer of the round (constraints, ports, sizes): keep these
      // agents away until what the apps wait for changes (or the agents' free resources grow).
      decline(unused, REFUSE_IDLE);
      p.declinedWaiting = p.waiting();
      log.debug("no waiting app can use {} offers; declined for {} s", unused.size(), (int) REFUSE_IDLE);
      return;
    }
    decline(unused, more ? REFUSE_BUSY : REFUSE_IDLE);
  }

  /**
   * Accepts the offers of many agents in one call, on a call thread (each task names its agent).
   * The instances are stored already, so a failure only needs a reconcile.
   */
  private void acceptLater(List<String> offerIds, List<TaskSpec> tasks) {
    p.calls.execute(() -> {
      try {
        p.client.accept(offerIds, tasks, REFUSE_BUSY);
        io.trellis.core.CrashPoints.reached("services.launch-sent");
        log.debug("launching {} instances on {} offers", tasks.size(), offerIds.size());
      } catch (RuntimeException e) {
        log.warn("accepting {} offers failed ({}); reconciling their {} instances", offerIds.size(), e.getMessage(),
            tasks.size());
        List<SchedulerCall.TaskRef> refs = tasks.stream().map(t -> new SchedulerCall.TaskRef(t.taskId(), t.agentId())).toList();
        try {
          p.client.reconcile(refs);
        } catch (RuntimeException ignored) {
          // The next subscription reconciles every instance.
        }
      }
    });
  }

  private void decline(List<OfferInfo> offers, double refuseSeconds) {
    if (offers.isEmpty()) {
      return;
    }
    if (refuseSeconds >= REFUSE_IDLE) {
      p.declinedIdle = true;
      p.declinedWaiting = null;
    }
    try {
      p.client.decline(offers.stream().map(OfferInfo::id).toList(), refuseSeconds);
    } catch (RuntimeException e) {
      log.debug("decline failed: {}", e.getMessage());
    }
  }
}
