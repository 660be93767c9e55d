package io.trellis.jobs.cli;

import io.trellis.jobs.framework.JobsConfig;
import io.trellis.jobs.framework.JobsFramework;
import io.trellis.plugin.LocalComponent;
import io.trellis.plugin.LocalContext;
import io.trellis.plugin.TrellisPlugin;
import java.util.List;
import java.util.Optional;

/**
 * The jobs framework in the {@code trellis} command: {@code trellis jobs}, {@code trellis job ...},
 * and the framework hosted by {@code trellis local} on port 4400 ({@code $TRELLIS_JOBS_PORT}).
 */
public final class JobsPlugin implements TrellisPlugin {
  @Override
  public List<Object> commands() {
    return List.of(new JobsCommand(), new JobCommand());
  }

  /** The API port of the hosted framework: {@code $TRELLIS_JOBS_PORT}, else 4400. */
  static int port() {
    String env = System.getenv("TRELLIS_JOBS_PORT");
    if (env == null || env.isBlank()) {
      return JobsConfig.DEFAULT_PORT;
    }
    try {
      return Integer.parseInt(env.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("TRELLIS_JOBS_PORT '" + env + "' is not a port number", e);
    }
  }

  @Override
  public Optional<LocalComponent> local() {
    return Optional.of(new LocalComponent() {
      @Override
      public String name() {
        return "jobs";
      }

      @Override
      public int order() {
        return 200;
      }

      @Override
      public List<Integer> ports() {
        return List.of(port());
      }

      @Override
      public Running start(LocalContext context) throws Exception {
        JobsFramework framework = JobsFramework.start(JobsConfig.of(context.zk()).withMaster(context.master())
            .withHost(context.bindHost()).withPort(port()).withZkSessionTimeout(context.zkSessionTimeout()),
            (l, at) -> { }, context.transport(), context.security());
        return new Running() {
          @Override
          public List<String[]> addresses() {
            return List.<String[]>of(new String[] {"jobs API", context.transport().scheme() + "://" + framework.endpoint() + "/v1/scheduler"});
          }

          @Override
          public void close() throws Exception {
            framework.close();
          }
        };
      }
    });
  }
}
