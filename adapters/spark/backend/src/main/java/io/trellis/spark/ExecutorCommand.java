package io.trellis.spark;

import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import io.trellis.api.TaskSpec;
import io.trellis.spark.cds.ClassArchive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Trellis task of one executor: a JVM running Spark's {@code CoarseGrainedExecutorBackend}
 * that connects back to the driver, with Spark's class path and JVM flags, and labels naming the
 * application so the executor is recognisable in Trellis state.
 */
final class ExecutorCommand {
  static final String EXECUTOR_CLASS = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
  static final String LABEL_APP_ID = "spark-app-id";
  static final String LABEL_APP_NAME = "spark-app-name";
  static final String LABEL_EXECUTOR_ID = "spark-executor-id";

  private final BackendSettings settings;
  private final String driverUrl;
  private final String appId;

  ExecutorCommand(BackendSettings settings, String driverUrl, String appId) {
    this.settings = settings;
    this.driverUrl = driverUrl;
    this.appId = appId;
  }

  TaskSpec task(String taskId, String executorId, String agentId, String hostname) {
    ContainerSpec container = settings.dockerImage() == null ? null
        : new ContainerSpec("DOCKER", settings.dockerImage(), "HOST", false, false, null, null, null);
    return new TaskSpec(taskId, "spark executor " + executorId + " of " + settings.frameworkName(),
        agentId, settings.executorSize().resources(), CommandSpec.shell(shell(executorId, hostname)),
        Map.of(LABEL_APP_ID, appId, LABEL_APP_NAME, settings.frameworkName(), LABEL_EXECUTOR_ID, executorId),
        10.0, container);
  }

  /** The shell command: fetch the optional archive, then exec the executor JVM. */
  String shell(String executorId, String hostname) {
    StringBuilder sh = new StringBuilder();
    if (settings.dockerImage() != null) {
      // The container starts in the image's working directory; the sandbox is mounted elsewhere.
      sh.append("cd \"${TRELLIS_SANDBOX:-.}\" && ");
    }
    sh.append("export SPARK_LOCAL_DIRS=\"$PWD\"; ");
    if (hostname.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      sh.append("export SPARK_LOCAL_IP=").append(quote(hostname)).append("; ");
    }
    String classPath;
    if (settings.executorUri() != null) {
      sh.append(ExecutorArchive.fetchCommand(settings.executorUri())).append(" && ");
      sh.append("CP=\"$(find \"$PWD/").append(ExecutorArchive.DIR)
          .append("\" -name '*.jar' | sort | tr '\\n' ':')\" && ");
      classPath = "\"$CP\"";
    } else {
      classPath = quote(settings.executorClassPath());
    }
    List<String> jvm = new ArrayList<>();
    jvm.add("-Xmx" + settings.executorSize().heapMb() + "m");
    jvm.addAll(JvmFlags.all());
    if (settings.classArchive() != null) {
      jvm.addAll(ClassArchive.useOptions(Path.of(settings.classArchive())));
    }
    sh.append("exec ").append(quote(settings.java()));
    for (String flag : jvm) {
      sh.append(' ').append(quote(flag));
    }
    if (!settings.executorJavaOptions().isBlank()) {
      sh.append(' ').append(settings.executorJavaOptions());
    }
    sh.append(" -cp ").append(classPath).append(' ').append(EXECUTOR_CLASS);
    List<String> args = List.of("--driver-url", driverUrl, "--executor-id", executorId,
        "--hostname", hostname, "--cores", Integer.toString(settings.executorSize().cores()),
        "--app-id", appId, "--resourceProfileId", "0");
    for (String a : args) {
      sh.append(' ').append(quote(a));
    }
    return sh.toString();
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
