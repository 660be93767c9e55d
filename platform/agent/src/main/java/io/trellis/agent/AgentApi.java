package io.trellis.agent;

import io.trellis.api.AgentProtocol;
import io.trellis.api.TaskState;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the agent's HTTP endpoints may do; every change goes through the agent's thread. */
public final class AgentApi {
  private final Agent agent;

  public AgentApi(Agent agent) {
    this.agent = agent;
  }

  /**
   * Launches the task; returns once the agent has it in its table (a launch it cannot start,
   * for a full disk for example, is reported FAILED from there).
   *
   * @param epoch the calling master's leader epoch, from {@link AgentProtocol#EPOCH_HEADER}
   */
  public void launch(AgentProtocol.Launch launch, String epoch) {
    launch(new AgentProtocol.Launches(List.of(launch)), epoch);
  }

  /** Launches each task in order, on one turn of the agent's thread. */
  public void launch(AgentProtocol.Launches launches, String epoch) {
    agent.epochs.admit(epoch, "launch");
    agent.call(() -> {
      for (AgentProtocol.Launch l : launches.launches()) {
        agent.launch(l);
      }
      return null;
    }).join();
  }

  public void kill(AgentProtocol.Kill kill, String epoch) {
    kill(new AgentProtocol.Kills(List.of(kill)), epoch);
  }

  /** Kills each task, on one turn of the agent's thread. */
  public void kill(AgentProtocol.Kills kills, String epoch) {
    agent.epochs.admit(epoch, "kill");
    agent.call(() -> {
      for (AgentProtocol.Kill k : kills.kills()) {
        agent.kill(k);
      }
      return null;
    });
  }

  public void acknowledge(AgentProtocol.Acknowledge ack, String epoch) {
    acknowledge(new AgentProtocol.Acknowledgements(List.of(ack)), epoch);
  }

  public void acknowledge(AgentProtocol.Acknowledgements acks, String epoch) {
    agent.epochs.admit(epoch, "acknowledgement");
    agent.call(() -> {
      agent.acknowledge(acks.acknowledgements());
      return null;
    });
  }

  /** A piece of a sandbox file. */
  public record FileChunk(String data, long offset, long size) {}

  /** An id that names one directory: never a path that leads out of the agent's sandboxes. */
  private static void plainName(String id, String what) {
    String problem = io.trellis.core.id.DirectoryName.problem(id);
    if (problem != null) {
      throw new IllegalArgumentException(what + " id " + problem);
    }
  }

  public FileChunk read(String framework, String task, String file, long offset, int length) {
    if (framework == null || task == null) {
      throw new IllegalArgumentException("framework and task are required query parameters");
    }
    plainName(framework, "framework");
    plainName(task, "task");
    if (length < 0 || length > 4 * 1024 * 1024) {
      throw new IllegalArgumentException("length must be between 0 and 4194304, got " + length);
    }
    Path target = inSandbox(framework, task, file);
    try (RandomAccessFile f = new RandomAccessFile(target.toFile(), "r")) {
      long size = f.length();
      long start = offset < 0 ? Math.max(0, size + offset) : Math.min(offset, size);
      int n = (int) Math.min(length, size - start);
      byte[] buf = new byte[n];
      f.seek(start);
      f.readFully(buf);
      return new FileChunk(new String(buf, StandardCharsets.UTF_8), start, size);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new jakarta.ws.rs.NotFoundException("no file '" + file + "' in the sandbox of task " + task);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code file} of the task's sandbox, its links resolved: the task's user writes the sandbox, so
   * a link in it may point anywhere (at /etc/shadow, say), and the agent, perhaps root, must never
   * read through one to outside the sandbox.
   */
  private Path inSandbox(String framework, String task, String file) {
    Path sandbox = agent.checkpoints.sandbox(framework, task).normalize();
    Path target = sandbox.resolve(file).normalize();
    if (!target.startsWith(sandbox)) {
      throw new IllegalArgumentException("file '" + file + "' is outside the task's sandbox");
    }
    try {
      Path real = target.toRealPath();
      if (!real.startsWith(sandbox.toRealPath())) {
        throw new IllegalArgumentException("file '" + file + "' leads outside the task's sandbox (a link)");
      }
      return real;
    } catch (NoSuchFileException e) {
      throw new jakarta.ws.rs.NotFoundException("no file '" + file + "' in the sandbox of task " + task);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + target + ": " + e.getMessage(), e);
    }
  }

  /** @param path relative to the sandbox; {@code link} when it is a symbolic link (never followed) */
  public record SandboxFile(String path, long size, double modified, boolean directory, boolean link) {}

  /** The most files a listing of a sandbox holds. */
  static final int MAX_LISTED = 1000;

  /** The files of a task's sandbox, three levels deep at most, without following links. */
  public List<SandboxFile> browse(String framework, String task) {
    if (framework == null || task == null) {
      throw new IllegalArgumentException("framework and task are required query parameters");
    }
    plainName(framework, "framework");
    plainName(task, "task");
    Path sandbox = agent.checkpoints.sandbox(framework, task).normalize();
    if (!Files.isDirectory(sandbox, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new jakarta.ws.rs.NotFoundException("task " + task + " of framework " + framework + " has no sandbox here");
    }
    List<SandboxFile> out = new ArrayList<>();
    try (java.util.stream.Stream<Path> walk = Files.walk(sandbox, 3)) {
      walk.filter(p -> !p.equals(sandbox)).limit(MAX_LISTED).forEach(p -> {
        try {
          var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
              java.nio.file.LinkOption.NOFOLLOW_LINKS);
          out.add(new SandboxFile(sandbox.relativize(p).toString(), a.size(), a.lastModifiedTime().toMillis() / 1000.0,
              a.isDirectory(), a.isSymbolicLink()));
        } catch (IOException gone) {
          // Removed while listed.
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new IllegalStateException("cannot list the sandbox of task " + task + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The agent's view: its resources and tasks. */
  public record State(String agentId, String endpoint, String resources, java.util.Map<String, String> attributes,
      List<TaskView> tasks) {}

  /** @param healthy the task's health from its checks as last reported, or null */
  public record TaskView(String frameworkId, String taskId, TaskState state, String sandbox, Boolean healthy) {}

  public State state() {
    return agent.call(() -> {
      List<TaskView> views = new ArrayList<>();
      for (Agent.RunningTask t : agent.tasks.values()) {
        views.add(new TaskView(t.launch.frameworkId(), t.launch.task().taskId(), t.state,
            t.dir.resolve("sandbox").toString(), t.healthy));
      }
      return new State(agent.checkpoints.agentId(), agent.endpoint(), agent.total.toString(),
          agent.attributes.values(), views);
    }).join();
  }

  static boolean exists(Path p) {
    return Files.exists(p);
  }
}
