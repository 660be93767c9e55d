package io.trellis.jobs.engine;

import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import io.trellis.api.TaskSpec;
import io.trellis.jobs.job.Job;
import io.trellis.jobs.run.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns a job and one of its runs into the task to launch. */
final class TaskSpecs {
  static final double DEFAULT_CPUS = 0.1;
  static final double DEFAULT_MEM = 128;

  private TaskSpecs() {}

  static Launch of(Job job, Run run) {
    StringBuilder resources = new StringBuilder();
    resources.append("cpus:").append(job.cpus() == null ? DEFAULT_CPUS : job.cpus());
    resources.append(";mem:").append(job.mem() == null ? DEFAULT_MEM : job.mem());
    if (job.disk() != null && job.disk() > 0) {
      resources.append(";disk:").append(job.disk());
    }
    Map<String, String> env = new LinkedHashMap<>(job.environment());
    env.put("TRELLIS_JOB_NAME", job.name());
    env.put("TRELLIS_JOB_SLOT", Instant.ofEpochMilli(run.slot()).toString());
    env.put("TRELLIS_JOB_ATTEMPT", Integer.toString(run.attempt()));
    List<String> args = run.arguments().isEmpty() ? job.arguments() : run.arguments();
    boolean shell = job.shell() == null || job.shell();
    String fetch = fetchScript(job);
    CommandSpec command;
    if (shell || !fetch.isEmpty()) {
      StringBuilder line = new StringBuilder(fetch).append(job.command() == null ? "" : job.command());
      if (!shell) {
        line.setLength(0);
        line.append(fetch).append("exec ").append(quote(job.command()));
      }
      if (!shell || !run.arguments().isEmpty()) {
        for (String a : args) {
          line.append(' ').append(quote(a));
        }
      }
      String value = line.toString();
      command = new CommandSpec(value.isBlank() && job.container() != null ? null : value, true, List.of(), env,
          blankToNull(job.runAsUser()), job.secretEnvironment());
    } else {
      command = new CommandSpec(job.command(), false, args, env, blankToNull(job.runAsUser()),
          job.secretEnvironment());
    }
    Map<String, String> labels = Map.of("trellis.job", job.name(), "trellis.slot",
        Instant.ofEpochMilli(run.slot()).toString(), "trellis.trigger", run.trigger().name());
    TaskSpec task = new TaskSpec(run.taskId(), job.name(), null, resources.toString(), command, labels, null,
        container(job.container())).withPreemption(job.taskPriority(), job.preemptible());
    return new Launch(task, job.constraints(), Instant.ofEpochMilli(run.retryAt() != null ? run.retryAt() : run.slot()));
  }

  static ContainerSpec container(Job.Container c) {
    if (c == null) {
      return null;
    }
    List<Map<String, Object>> volumes = new ArrayList<>();
    for (Job.Volume v : c.volumes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("containerPath", v.containerPath());
      if (v.hostPath() != null) {
        m.put("hostPath", v.hostPath());
      }
      m.put("mode", v.mode() == null ? "RW" : v.mode().toUpperCase(Locale.ROOT));
      volumes.add(m);
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (Job.Parameter p : c.parameters()) {
      parameters.put(p.key(), p.value());
    }
    String type = c.type() == null ? "DOCKER" : c.type().toUpperCase(Locale.ROOT);
    return new ContainerSpec(type, c.image(), c.network(), c.forcePullImage(), null, List.of(), volumes, parameters);
  }

  /**
   * Downloads {@code fetch} and {@code uris} into the sandbox before the command, as the
   * fetcher of a Mesos agent would: extracting archives when asked, marking executables.
   */
  static String fetchScript(Job job) {
    List<Job.Fetch> all = new ArrayList<>(job.fetch());
    for (String u : job.uris()) {
      all.add(new Job.Fetch(u, false, true, false));
    }
    StringBuilder s = new StringBuilder();
    for (Job.Fetch f : all) {
      String file = f.uri().replaceAll("[?#].*$", "");
      file = file.substring(file.lastIndexOf('/') + 1);
      if (file.isEmpty()) {
        file = "download";
      }
      s.append("curl -fsSL -o ").append(quote(file)).append(' ').append(quote(f.uri())).append(" && ");
      boolean extract = f.extract() == null || f.extract();
      if (extract && (file.endsWith(".tar.gz") || file.endsWith(".tgz") || file.endsWith(".tar"))) {
        s.append("tar -xf ").append(quote(file)).append(" && ");
      } else if (extract && file.endsWith(".zip")) {
        s.append("unzip -oq ").append(quote(file)).append(" && ");
      }
      if (Boolean.TRUE.equals(f.executable())) {
        s.append("chmod +x ").append(quote(file)).append(" && ");
      }
    }
    return s.toString();
  }

  static String quote(String s) {
    return "'" + (s == null ? "" : s.replace("'", "'\"'\"'")) + "'";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
