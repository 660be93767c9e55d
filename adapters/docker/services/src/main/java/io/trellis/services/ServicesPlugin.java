package io.trellis.services;

import io.trellis.plugin.LocalComponent;
import io.trellis.plugin.LocalContext;
import io.trellis.plugin.TrellisPlugin;
import io.trellis.services.cli.AppCommand;
import io.trellis.services.cli.ServicesCommand;
import java.util.List;
import java.util.Optional;

/**
 * Plugs the services framework into the {@code trellis} command: {@code trellis services},
 * {@code trellis app ...}, and the framework hosted by {@code trellis local} with its API on
 * 127.0.0.1:8080 ({@code TRELLIS_SERVICES_PORT} or {@code -Dtrellis.services.port} override the port).
 */
public final class ServicesPlugin implements TrellisPlugin {
  @Override
  public List<Object> commands() {
    return List.of(new ServicesCommand(), new AppCommand());
  }

  @Override
  public Optional<LocalComponent> local() {
    return Optional.of(new LocalComponent() {
      @Override
      public String name() {
        return "services";
      }

      @Override
      public Running start(LocalContext context) throws Exception {
        String port = System.getProperty("trellis.services.port", System.getenv("TRELLIS_SERVICES_PORT"));
        ServicesProcess p = ServicesProcess.start(context.zk(), context.master(), "*", context.bindHost(),
            port == null || port.isBlank() ? 8080 : Integer.parseInt(port.trim()), context.transport(), context.security());
        String url = context.transport().scheme() + "://" + context.bindHost() + ":" + p.port();
        return new Running() {
          @Override
          public List<String[]> addresses() {
            return List.<String[]>of(new String[] {"services API", url + "/v2/apps"});
          }

          @Override
          public void close() {
            p.close();
          }
        };
      }
    });
  }
}
