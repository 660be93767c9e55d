package io.trellis.client;

import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.SchedulerCall;
import io.trellis.api.SchedulerEvent;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskStatus;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterInfo;
import io.trellis.security.ClientSecurity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A framework's connection to the leading master: SUBSCRIBE on one streaming response, events
 * dispatched to a {@link Scheduler}, calls as separate POSTs. It finds the leader through a
 * {@link MasterDetector} and, when the stream breaks or goes silent, subscribes again with the
 * same framework id, with backoff.
 */
public final class SchedulerClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchedulerClient.class);
  private static final String STREAM_HEADER = "Trellis-Stream-Id";

  private final MasterDetector detector;
  private final Scheduler scheduler;
  private final boolean autoAcknowledge;
  private final MasterHttp http;
  private final Thread thread;
  private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "trellis-client-watchdog");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch firstSubscription = new CountDownLatch(1);
  private volatile FrameworkInfo info;
  private volatile String frameworkId;
  private volatile String streamId;
  private volatile String endpoint;
  private volatile String subscribedTo;
  private volatile InputStream stream;
  private volatile long lastEventNanos;
  private volatile double heartbeatSeconds = 15;
  private volatile boolean closed;
  /** The demands last sent with {@link #request}, sent again after every re-subscription. */
  private volatile List<SchedulerCall.Demand> demands;
  private final AcknowledgementSender acknowledgements;
  /** Whether the client's thread waits on the master (a SUBSCRIBE's answer, the next event). */
  private volatile boolean waiting;
  /** The master this client last left because another leads (watchdog thread only). */
  private volatile String left;
  /** Updates of the current burst of events, acknowledged when the burst ends (event thread only). */
  private final List<TaskStatus> burst = new ArrayList<>();

  private SchedulerClient(MasterDetector detector, ClientSecurity security, FrameworkInfo info, Scheduler scheduler,
      boolean autoAck) {
    this.detector = detector;
    this.http = new MasterHttp(security);
    this.info = info;
    this.frameworkId = info.id();
    this.scheduler = scheduler;
    this.autoAcknowledge = autoAck;
    this.thread = new Thread(this::run, "trellis-scheduler-" + (info.name() == null ? "framework" : info.name()));
    this.thread.setDaemon(true);
    this.acknowledgements = new AcknowledgementSender(
        "trellis-acknowledgements-" + (info.name() == null ? "framework" : info.name()), this::acknowledge);
  }

  /**
   * Subscribes in the background; updates are acknowledged after {@link Scheduler#update}
   * returns, never before: the updates of one burst of events together, once the burst is
   * dispatched (what the stream has buffered is one burst), on the client's own thread; what
   * queues while a call is out goes in the next one.
   */
  public static SchedulerClient start(MasterDetector detector, FrameworkInfo info, Scheduler scheduler) {
    return start(detector, info, scheduler, true);
  }

  public static SchedulerClient start(MasterDetector detector, FrameworkInfo info, Scheduler scheduler,
      boolean autoAcknowledge) {
    return start(detector, ClientSecurity.none(), info, scheduler, autoAcknowledge);
  }

  /** As {@link #start(MasterDetector, FrameworkInfo, Scheduler)}, calling with these credentials and TLS settings. */
  public static SchedulerClient start(MasterDetector detector, ClientSecurity security, FrameworkInfo info,
      Scheduler scheduler) {
    return start(detector, security, info, scheduler, true);
  }

  /** As {@link #start(MasterDetector, FrameworkInfo, Scheduler, boolean)}, calling with these credentials and TLS settings. */
  public static SchedulerClient start(MasterDetector detector, ClientSecurity security, FrameworkInfo info,
      Scheduler scheduler, boolean autoAcknowledge) {
    SchedulerClient c = new SchedulerClient(detector, security, info, scheduler, autoAcknowledge);
    c.thread.start();
    c.watchdog.scheduleWithFixedDelay(() -> {
      c.checkSilence();
      c.checkLeader();
    }, 1, 1, TimeUnit.SECONDS);
    return c;
  }

  /** Waits until the first SUBSCRIBED; returns the framework id. */
  public String awaitSubscribed(Duration timeout) throws InterruptedException {
    if (!firstSubscription.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("not subscribed after " + timeout.toSeconds()
          + " s: is a master running and reachable?");
    }
    return frameworkId;
  }

  /** The master this client holds a live subscription with, or null while it is (re)connecting. */
  public String subscribedTo() {
    return subscribedTo;
  }

  public String frameworkId() {
    return frameworkId;
  }

  private void run() {
    long backoff = 250;
    while (!closed) {
      try {
        MasterInfo leader = detector.await(Duration.ofSeconds(30));
        endpoint = leader.endpoint();
        subscribe(endpoint);
        backoff = 250;
      } catch (RuntimeException | IOException e) {
        if (closed) {
          return;
        }
        Thread.interrupted(); // a stream broken on purpose (see breakStream) is not the end of the client
        log.debug("subscription to the master failed: {}", e.toString());
        // A TLS mismatch says which CA to trust (or that the master speaks plain HTTP).
        String reason = e instanceof IOException io && (io instanceof javax.net.ssl.SSLException
            || String.valueOf(io.getMessage()).contains("header parser received no bytes"))
            ? http.security().unreachable("the master at " + endpoint, io) : e.getMessage();
        safely(() -> scheduler.disconnected(this, reason));
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
        safely(() -> scheduler.disconnected(this, "left the master at " + endpoint + ": another leads"));
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
      }
      backoff = Math.min(backoff * 2, 5000);
    }
  }

  private void subscribe(String at) throws IOException, InterruptedException {
    left = null;
    FrameworkInfo current = info;
    if (frameworkId != null && !frameworkId.equals(current.id())) {
      // Everything else as the framework gave it (its priority and web address included).
      current = current.withId(frameworkId);
      info = current;
    }
    HttpRequest request = http.request(at, "/api/v1/scheduler")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(MasterHttp.json(SchedulerCall.subscribe(current))))
        .build();
    HttpResponse<InputStream> response;
    waiting = true;
    try {
      response = http.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
    } finally {
      waiting = false;
    }
    if (response.statusCode() != 200) {
      String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
      String message = http.refusal(body, response.statusCode());
      safely(() -> scheduler.error(this, message));
      throw new IOException("SUBSCRIBE refused: " + message);
    }
    streamId = response.headers().firstValue(STREAM_HEADER).orElse(null);
    stream = response.body();
    lastEventNanos = System.nanoTime();
    subscribedTo = null;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String line;
      while (!closed && (line = readLine(lines)) != null) {
        if (!line.isBlank()) {
          lastEventNanos = System.nanoTime();
          dispatch(Json.mapper().readValue(line, SchedulerEvent.class));
          // The silence is counted from when the client reads again: time in the framework's own
          // callbacks (a long burst of offers) is not the master's silence.
          lastEventNanos = System.nanoTime();
        }
        if (!burst.isEmpty() && (burst.size() >= AcknowledgementSender.MAX_PER_CALL || !lines.ready())) {
          endBurst();
        }
      }
    } finally {
      endBurst();
      subscribedTo = null;
    }
    if (!closed) {
      throw new IOException("the master closed the subscription stream");
    }
  }

  private String readLine(BufferedReader lines) throws IOException {
    waiting = true;
    try {
      return lines.readLine();
    } finally {
      waiting = false;
    }
  }

  private void dispatch(SchedulerEvent e) {
    switch (e.type()) {
      case SUBSCRIBED -> {
        frameworkId = e.subscribed().frameworkId();
        subscribedTo = endpoint;
        heartbeatSeconds = Math.max(1, e.subscribed().heartbeatIntervalSeconds());
        List<SchedulerCall.Demand> waiting = demands;
        if (waiting != null) {
          safely(() -> call(SchedulerCall.request(frameworkId, waiting)));
        }
        safely(() -> scheduler.subscribed(this, frameworkId));
        firstSubscription.countDown();
      }
      case OFFERS -> safely(() -> scheduler.offers(this, e.offers()));
      case RESCIND -> safely(() -> scheduler.rescind(this, e.rescindOfferId()));
      case UPDATE -> {
        log.debug("update {} {} received", e.update().taskId(), e.update().state());
        safely(() -> scheduler.update(this, e.update()));
        if (autoAcknowledge && e.update().uuid() != null) {
          burst.add(e.update());
        }
      }
      case ERROR, FAILURE -> safely(() -> scheduler.error(this, e.message()));
      case GANG -> safely(() -> scheduler.gang(this, e.gang()));
      case HEARTBEAT -> { }
    }
  }

  /** The updates of the burst were all handled: their acknowledgements go out together. */
  private void endBurst() {
    if (!burst.isEmpty()) {
      acknowledgements.addAll(List.copyOf(burst));
      burst.clear();
    }
  }

  /** A stream silent for three heartbeats is broken: close it so the loop reconnects. */
  private void checkSilence() {
    InputStream s = stream;
    if (s != null && waiting && System.nanoTime() - lastEventNanos > (long) (3 * heartbeatSeconds * 1e9)) {
      log.info("no event from the master for {} s; reconnecting", (int) (3 * heartbeatSeconds));
      breakStream();
    }
  }

  /**
   * Another master leads than the one this client subscribed to (or is subscribing to): leave
   * it now. A leader that was paused or cut off keeps its connections open and says nothing, so
   * waiting for its stream to fail would leave the framework without a master for the silence
   * timeout, however soon the new leader was elected.
   */
  private void checkLeader() {
    String at = endpoint;
    Optional<MasterInfo> leader = detector.current();
    if (!closed && at != null && leader.isPresent() && !leader.get().endpoint().equals(at) && !at.equals(left)) {
      left = at;
      log.info("the leading master is now {}; leaving {}", leader.get().endpoint(), at);
      breakStream();
    }
  }

  /**
   * Ends the current subscription: closes its stream and interrupts the client's thread, since a
   * read (or a SUBSCRIBE waiting for its answer) on a silent connection does not return when the
   * stream is closed from another thread. The loop then subscribes to the leader again.
   */
  private void breakStream() {
    InputStream s = stream;
    stream = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // Closing is all we want.
      }
    }
    if (waiting) {
      thread.interrupt(); // only a wait on the master, never the framework's own callbacks
    }
  }

  private void safely(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      if (!closed) {
        log.warn("framework callback failed: {}", e.toString());
        log.debug("callback failure", e);
      }
    }
  }

  // Calls.

  public void accept(List<String> offerIds, List<TaskSpec> tasks, Double refuseSeconds) {
    call(SchedulerCall.accept(frameworkId, offerIds, tasks, refuseSeconds));
  }

  public void decline(List<String> offerIds, Double refuseSeconds) {
    call(SchedulerCall.decline(frameworkId, offerIds, refuseSeconds));
  }

  public void kill(String taskId, String agentId) {
    call(SchedulerCall.kill(frameworkId, taskId, agentId));
  }

  public void acknowledge(TaskStatus status) {
    call(SchedulerCall.acknowledge(frameworkId, status));
  }

  /** Acknowledges many updates, of any tasks and agents, in one call. */
  public void acknowledge(List<TaskStatus> statuses) {
    List<TaskStatus> withUuid = statuses.stream().filter(s -> s.uuid() != null).toList();
    if (withUuid.size() == 1) {
      acknowledge(withUuid.get(0));
    } else if (!withUuid.isEmpty()) {
      call(SchedulerCall.acknowledge(frameworkId, withUuid));
    }
  }

  /**
   * Queues the acknowledgement of an update handled by the framework; queued acknowledgements go
   * to the master together, in one call, on the client's own thread. For frameworks that
   * acknowledge by themselves: call it only once the update is safely handled.
   */
  public void acknowledgeSoon(TaskStatus status) {
    if (status.uuid() != null) {
      acknowledgements.add(status);
    }
  }

  /**
   * REQUEST: states everything the framework waits for now, replacing what it stated before (an
   * empty list: nothing waits). The client sends it again after every re-subscription, so a new
   * leading master learns it too. A refused request (a 422 naming the field) changes nothing,
   * here or at the master.
   */
  public void request(List<SchedulerCall.Demand> waiting) {
    List<SchedulerCall.Demand> copy = List.copyOf(waiting);
    call(SchedulerCall.request(frameworkId, copy));
    demands = copy;
  }

  public void reconcile(List<SchedulerCall.TaskRef> tasks) {
    call(SchedulerCall.reconcile(frameworkId, tasks));
  }

  public void suppress(List<String> roles) {
    call(SchedulerCall.suppress(frameworkId, roles));
  }

  public void revive(List<String> roles) {
    call(SchedulerCall.revive(frameworkId, roles));
  }

  /** Ends the framework: the master kills its tasks and forgets it. */
  public void teardown() {
    call(SchedulerCall.teardown(frameworkId));
    close();
  }

  private void call(SchedulerCall call) {
    String at = endpoint;
    String stream = streamId;
    if (at == null || stream == null) {
      throw new IllegalStateException("not subscribed yet: wait for Scheduler.subscribed");
    }
    http.send(at, "POST", "/api/v1/scheduler", call, Map.of(STREAM_HEADER, stream));
  }

  @Override
  public void close() {
    closed = true;
    watchdog.shutdownNow();
    acknowledgements.close();
    InputStream s = stream;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // Closing is all we want.
      }
    }
    thread.interrupt();
  }
}
