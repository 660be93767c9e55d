package io.trellis.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.trellis.agent.containerizer.ContainerException;
import io.trellis.agent.containerizer.Containerizer;
import io.trellis.agent.containerizer.ContainerizerContext;
import io.trellis.agent.containerizer.LaunchRequest;
import io.trellis.api.ContainerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs DOCKER tasks as containers of the local Docker daemon. Every container carries the labels
 * {@code trellis.task-id}, {@code trellis.framework-id} and {@code trellis.agent-id} (plus the
 * task's sandbox and the agent's work directory), which is how a restarted agent finds its
 * containers again.
 *
 * <p>Settings: {@code docker.host} (default {@code unix:///var/run/docker.sock}), {@code
 * docker.allow-privileged} and {@code docker.allow-host-volumes} (default false), {@code
 * docker.init} (default true: the daemon's init forwards signals to the task).
 */
public final class DockerContainerizer implements Containerizer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerContainerizer.class);

  private final ExecutorService blocking = Executors.newCachedThreadPool(threads("docker"));
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(threads("docker-timer"));
  private final Set<DockerContainer> watched = ConcurrentHashMap.newKeySet();
  private volatile ContainerizerContext context;
  private volatile DockerSettings settings;
  private volatile DockerDaemon daemon;

  /** The containerizer as {@link java.util.ServiceLoader} creates it. */
  public DockerContainerizer() {}

  @Override
  public String name() {
    return "docker";
  }

  @Override
  public void initialize(ContainerizerContext context) {
    DockerSettings read = DockerSettings.from(context.settings());
    DockerDaemon previous = daemon;
    this.context = context;
    this.settings = read;
    this.daemon = DockerDaemon.at(read.host());
    if (previous != null) {
      previous.close();
    }
    LOG.debug("docker containerizer uses the daemon at {} (privileged {}, host volumes {})",
        read.host(), read.allowPrivileged() ? "allowed" : "refused",
        read.allowHostVolumes() ? "allowed" : "refused");
  }

  @Override
  public boolean supports(LaunchRequest request) {
    ContainerSpec container = request.task().container();
    return container != null && "DOCKER".equalsIgnoreCase(container.type());
  }

  @Override
  public io.trellis.agent.containerizer.Container launch(LaunchRequest request)
      throws ContainerException {
    ContainerizerContext ctx = initialized();
    String taskId = request.task().taskId();
    ContainerPlan plan = ContainerPlan.of(request, settings, ctx.agentId(), ctx.workDir());
    DockerDaemon d = daemon;
    d.ping();
    d.ensureImage(plan.image(), plan.forcePull());
    String id = d.create(plan);
    try {
      d.client().startContainerCmd(id).exec();
    } catch (DockerException e) {
      removeQuietly(d, id);
      throw new ContainerException("cannot start container " + plan.name() + " of task "
          + taskId + ": " + DockerDaemon.rootMessage(e), e);
    } catch (RuntimeException e) {
      removeQuietly(d, id);
      throw d.unreachable(e);
    }
    LOG.debug("task {} runs in container {} ({}) from {}", taskId, plan.name(), id,
        plan.image());
    try {
      return track(DockerContainer.watch(taskId, id, request.sandbox(), d, blocking, timers,
          false));
    } catch (IOException | RuntimeException e) {
      removeQuietly(d, id);
      throw new ContainerException("task " + taskId + " started in container " + id
          + " but its output cannot be followed into " + request.sandbox() + " (" + e
          + "), so it was removed; check the sandbox", e);
    }
  }

  @Override
  public List<io.trellis.agent.containerizer.Container> recover(List<Path> known) {
    ContainerizerContext ctx = initialized();
    DockerDaemon d = daemon;
    List<Container> labelled;
    try {
      labelled = d.client().listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(ContainerPlan.LABEL_AGENT_ID, ctx.agentId())).exec();
    } catch (RuntimeException e) {
      LOG.info("no Docker containers to recover: the daemon at {} does not answer ({});"
          + " DOCKER tasks fail until it does", d.host(), DockerDaemon.rootMessage(e));
      return List.of();
    }
    Set<String> sandboxes = known.stream().map(Path::toString).collect(Collectors.toSet());
    List<io.trellis.agent.containerizer.Container> found = new ArrayList<>();
    for (Container c : labelled) {
      Map<String, String> labels = c.getLabels();
      String workDir = labels.get(ContainerPlan.LABEL_WORK_DIR);
      if (workDir != null && !workDir.equals(ctx.workDir().toString())) {
        continue;
      }
      String taskId = labels.get(ContainerPlan.LABEL_TASK_ID);
      String sandbox = labels.get(ContainerPlan.LABEL_SANDBOX);
      if (taskId != null && sandbox != null && sandboxes.contains(sandbox)) {
        try {
          Path dir = Path.of(sandbox);
          found.add(track(DockerContainer.watch(taskId, c.getId(), dir, d, blocking, timers,
              true)));
          LOG.info("recovered task {} in container {} ({})", taskId, c.getId(), c.getState());
        } catch (IOException | RuntimeException e) {
          LOG.warn("cannot recover task {} in container {}: {}", taskId, c.getId(), e.toString());
        }
      } else {
        LOG.info("removing orphan container {} of unknown task {} ({})", c.getId(), taskId,
            c.getState());
        removeQuietly(d, c.getId());
      }
    }
    return found;
  }

  private DockerContainer track(DockerContainer c) {
    watched.add(c);
    c.termination().whenComplete((end, error) -> watched.remove(c));
    return c;
  }

  /**
   * Stops watching containers and closes the connection to the daemon, leaving the containers
   * running, as an agent that exits does; a new containerizer {@link #recover recovers} them.
   */
  @Override
  public void close() {
    watched.forEach(DockerContainer::detach);
    watched.clear();
    timers.shutdownNow();
    blocking.shutdownNow();
    DockerDaemon d = daemon;
    if (d != null) {
      d.close();
    }
  }

  private static void removeQuietly(DockerDaemon d, String id) {
    try {
      d.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      LOG.debug("container {} is already gone", id);
    } catch (RuntimeException e) {
      LOG.warn("cannot remove container {}: {}; remove it with docker rm -f {}", id,
          DockerDaemon.rootMessage(e), id);
    }
  }

  private ContainerizerContext initialized() {
    ContainerizerContext current = context;
    if (current == null) {
      throw new IllegalStateException("the docker containerizer is not initialized;"
          + " call initialize(context) before using it");
    }
    return current;
  }

  private static java.util.concurrent.ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
