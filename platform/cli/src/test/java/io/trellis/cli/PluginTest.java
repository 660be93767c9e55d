package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.plugin.LocalComponent;
import io.trellis.plugin.LocalContext;
import io.trellis.plugin.TrellisPlugin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Plugins on the class path add subcommands to {@code trellis} and components to {@code trellis local}. */
class PluginTest {
  @Test
  void aPluginsCommandsBecomeSubcommands() {
    CommandLine cli = Trellis.commandLine();
    assertTrue(cli.getSubcommands().containsKey("greet"), "subcommands: " + cli.getSubcommands().keySet());
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    assertEquals(0, cli.execute("greet", "--name", "operator"));
    assertEquals("hello operator", out.toString().trim());
  }

  @Test
  void localStartsEveryPluginComponentInItsOwnDataDirectory() throws Exception {
    Path dir = Files.createTempDirectory("trellis-plugin-");
    List<LocalComponent.Running> hosted = LocalCommand.startHosted(LocalCommand.components(),
        "zk://127.0.0.1:1/trellis", "127.0.0.1:5050", dir, java.time.Duration.ofSeconds(10));
    assertEquals(1, hosted.size());
    assertEquals("greeter", hosted.get(0).addresses().get(0)[0]);
    assertEquals("127.0.0.1:5050 " + dir.resolve("greeter"), hosted.get(0).addresses().get(0)[1]);
    assertTrue(Files.isDirectory(dir.resolve("greeter")));
    hosted.get(0).close();
  }

  /** A plugin as a framework module would write one. */
  public static final class Greeter implements TrellisPlugin {
    @Override
    public List<Object> commands() {
      return List.of(new Greet());
    }

    @Override
    public Optional<LocalComponent> local() {
      return Optional.of(new LocalComponent() {
        @Override
        public String name() {
          return "greeter";
        }

        @Override
        public Running start(LocalContext context) {
          return new Running() {
            @Override
            public List<String[]> addresses() {
              return List.<String[]>of(new String[] {"greeter", context.master() + " " + context.dataDir()});
            }

            @Override
            public void close() {}
          };
        }
      });
    }
  }

  @Command(name = "greet")
  static final class Greet implements Callable<Integer> {
    @CommandLine.Option(names = "--name")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println("hello " + name);
      return 0;
    }
  }
}
