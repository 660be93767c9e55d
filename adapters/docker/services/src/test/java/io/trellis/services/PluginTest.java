package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.plugin.LocalComponent;
import io.trellis.plugin.LocalContext;
import io.trellis.plugin.TrellisPlugin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The plugin as the {@code trellis} command finds it: its subcommands parse, and the component
 * {@code trellis local} hosts starts the framework with its API beside a real master and agent.
 */
class PluginTest {
  static ServicesPlugin plugin() {
    List<TrellisPlugin> found = new ArrayList<>();
    ServiceLoader.load(TrellisPlugin.class).forEach(found::add);
    return (ServicesPlugin) found.stream().filter(p -> p instanceof ServicesPlugin).findFirst()
        .orElseThrow(() -> new AssertionError("ServicesPlugin not registered in META-INF/services"));
  }

  @CommandLine.Command(name = "trellis")
  static final class Root {
  }

  @Test
  void itAddsTheServicesAndAppCommands() {
    CommandLine trellis = new CommandLine(new Root());
    for (Object c : plugin().commands()) {
      trellis.addSubcommand(c);
    }
    assertTrue(trellis.getSubcommands().containsKey("services"));
    CommandLine app = trellis.getSubcommands().get("app");
    assertEquals(List.of("deploy", "list", "show", "scale", "restart", "destroy"), new ArrayList<>(app.getSubcommands().keySet()));
    assertEquals(2, app.execute("scale", "/x"), "a missing argument is a usage error");
  }

  @Test
  void trellisLocalHostsTheFrameworkWithItsApi() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      cluster.agent("127.0.0.1", "cpus:2;mem:1024;disk:100;ports:[31900-31909]", "");
      LocalComponent component = plugin().local().orElseThrow();
      assertEquals("services", component.name());
      System.setProperty("trellis.services.port", "0");
      try (LocalComponent.Running running = component.start(new LocalContext(cluster.zkSpec,
          cluster.master.endpoint(), cluster.dir.resolve("services"), "127.0.0.1"))) {
        String[] line = running.addresses().get(0);
        assertEquals("services API", line[0]);
        String base = line[1].substring(0, line[1].indexOf("/v2/apps"));
        V2 api = new V2(base);
        assertEquals(201, api.send("POST", "/v2/apps", "{\"id\": \"/local\", \"cmd\": \"sleep 100\", \"cpus\": 0.1, \"mem\": 16}").status());
        Waits.until("the app runs", Duration.ofSeconds(60), () -> api.readyInstances("/local") == 1);
      } finally {
        System.clearProperty("trellis.services.port");
      }
    }
  }
}
