package io.trellis.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.trellis.agent.containerizer.ContainerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The daemon as the containerizer uses it: every call turns failures into clear messages. */
final class DockerDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerDaemon.class);
  private static final long PULL_MINUTES = 10;

  private final String host;
  private final DockerClient client;

  private DockerDaemon(String host, DockerClient client) {
    this.host = host;
    this.client = client;
  }

  /** A client of the daemon at {@code host}; nothing is called until it is used. */
  static DockerDaemon at(String host) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host)
        .withDockerTlsVerify(false)
        .build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .connectionTimeout(Duration.ofSeconds(5))
        .maxConnections(1000)
        .build();
    return new DockerDaemon(host, DockerClientImpl.getInstance(config, http));
  }

  String host() {
    return host;
  }

  DockerClient client() {
    return client;
  }

  /** Checks that the daemon answers. */
  void ping() throws ContainerException {
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      throw unreachable(e);
    }
  }

  ContainerException unreachable(RuntimeException e) {
    return new ContainerException("cannot reach the Docker daemon at " + host
        + ": is dockerd running? (" + rootMessage(e) + ")", e);
  }

  /**
   * Makes sure {@code image} is on this host: pulls it when {@code forcePull} or when it is
   * missing.
   */
  void ensureImage(String image, boolean forcePull) throws ContainerException {
    if (!forcePull) {
      try {
        client.inspectImageCmd(image).exec();
        return;
      } catch (NotFoundException e) {
        LOG.debug("image {} is not on this host; pulling it", image);
      } catch (DockerException e) {
        throw new ContainerException("cannot inspect image " + image + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw unreachable(e);
      }
    }
    try {
      client.pullImageCmd(image).withTag(hasTag(image) ? null : "latest")
          .start().awaitCompletion(PULL_MINUTES, TimeUnit.MINUTES);
      client.inspectImageCmd(image).exec();
      LOG.info("pulled image {}", image);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerException("interrupted while pulling image " + image, e);
    } catch (RuntimeException e) {
      String why = forcePull ? "the task asks to pull it (forcePullImage)" : "it is not on this"
          + " agent";
      throw new ContainerException("cannot pull image " + image + ", and " + why + ": "
          + rootMessage(e) + "; check that its registry is reachable from the agent or load"
          + " the image on the agent", e);
    }
  }

  /** Creates the container; a stopped container left with the same name is removed first. */
  String create(ContainerPlan plan) throws ContainerException {
    try {
      return createCommand(plan).exec().getId();
    } catch (ConflictException e) {
      removeStale(plan.name());
      try {
        return createCommand(plan).exec().getId();
      } catch (RuntimeException again) {
        throw new ContainerException("cannot create container " + plan.name() + ": "
            + rootMessage(again), again);
      }
    } catch (DockerException e) {
      throw new ContainerException("cannot create container " + plan.name() + " from image "
          + plan.image() + ": " + rootMessage(e), e);
    } catch (RuntimeException e) {
      throw unreachable(e);
    }
  }

  private void removeStale(String name) throws ContainerException {
    Boolean running;
    try {
      running = client.inspectContainerCmd(name).exec().getState().getRunning();
    } catch (NotFoundException e) {
      return;
    }
    if (Boolean.TRUE.equals(running)) {
      throw new ContainerException("a container named " + name + " is already running;"
          + " task ids must be unique per framework (remove it with docker rm -f " + name + ")");
    }
    LOG.debug("removing the stopped container {} left by an earlier run", name);
    client.removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec();
  }

  private CreateContainerCmd createCommand(ContainerPlan plan) {
    HostConfig host = HostConfig.newHostConfig()
        .withNetworkMode(plan.network())
        .withPrivileged(plan.privileged())
        .withInit(plan.init());
    if (plan.cpuShares() != null) {
      host.withCpuShares(plan.cpuShares())
          .withCpuPeriod(ContainerPlan.CPU_PERIOD)
          .withCpuQuota(plan.cpuQuota());
    }
    if (plan.memory() != null) {
      host.withMemory(plan.memory()).withMemorySwap(plan.memory());
    }
    List<ExposedPort> exposed = new ArrayList<>();
    Ports bindings = new Ports();
    for (PortMapping p : plan.ports()) {
      for (String protocol : p.protocols()) {
        ExposedPort port = new ExposedPort(p.containerPort(), InternetProtocol.parse(protocol));
        exposed.add(port);
        bindings.bind(port, Ports.Binding.bindIpAndPort(plan.bindAddress(), p.hostPort()));
      }
    }
    host.withPortBindings(bindings);
    List<Bind> binds = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    for (Mount m : plan.mounts()) {
      if (m.hostPath() == null) {
        volumes.add(new Volume(m.containerPath()));
      } else {
        binds.add(new Bind(m.hostPath(), new Volume(m.containerPath()),
            m.readOnly() ? AccessMode.ro : AccessMode.rw));
      }
    }
    host.withBinds(binds);
    List<String> env = new ArrayList<>();
    for (Map.Entry<String, String> e : plan.env().entrySet()) {
      env.add(e.getKey() + "=" + e.getValue());
    }
    CreateContainerCmd cmd = client.createContainerCmd(plan.image())
        .withName(plan.name())
        .withEnv(env)
        .withLabels(plan.labels())
        .withExposedPorts(exposed)
        .withVolumes(volumes)
        .withHostConfig(host);
    if (plan.entrypoint() != null) {
      cmd.withEntrypoint(plan.entrypoint());
    }
    if (plan.cmd() != null) {
      cmd.withCmd(plan.cmd());
    }
    if (plan.user() != null) {
      cmd.withUser(plan.user());
    }
    if (plan.workdir() != null) {
      cmd.withWorkingDir(plan.workdir());
    }
    if (plan.hostname() != null) {
      cmd.withHostName(plan.hostname());
    }
    return cmd;
  }

  private static boolean hasTag(String image) {
    int slash = image.lastIndexOf('/');
    return image.indexOf('@') >= 0 || image.indexOf(':', slash + 1) >= 0;
  }

  /** The innermost message of {@code e}, which is where the daemon's or the socket's reason is. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName()
        : root.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (java.io.IOException e) {
      LOG.debug("closing the Docker client: {}", e.toString());
    }
  }
}
