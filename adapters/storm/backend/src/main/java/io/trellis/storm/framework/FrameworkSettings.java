package io.trellis.storm.framework;

import io.trellis.storm.schedule.WorkerSize;
import java.time.Duration;
import java.util.Map;

/**
 * How the Storm framework runs supervisors.
 *
 * @param role the Trellis role of every supervisor ({@code storm.trellis.role})
 * @param frameworkName the framework's name in Trellis
 * @param supervisorConf Storm settings every supervisor shares (ZooKeeper, Nimbus)
 * @param slotsPerSupervisor at most this many worker slots per supervisor
 * @param idleGrace how long a supervisor with no worker stays before it is stopped
 * @param failover how long Trellis keeps the supervisors while Nimbus is away
 * @param libDir the adapter's class path directory, readable on every agent
 * @param extraJavaOptions added to every supervisor and worker JVM
 */
public record FrameworkSettings(String role, String frameworkName, Map<String, Object> supervisorConf,
    SupervisorSize supervisor, WorkerSize defaultWorker, int slotsPerSupervisor, Duration idleGrace,
    Duration failover, double refuseSeconds, String libDir, String javaHome, String extraJavaOptions,
    String user) {
  public FrameworkSettings {
    supervisorConf = Map.copyOf(supervisorConf);
    if (role == null || !role.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("storm.trellis.role must be 1-64 letters, digits, '_', '.' or '-', not '"
          + role + "'");
    }
    extraJavaOptions = extraJavaOptions == null ? "" : extraJavaOptions;
  }
}
