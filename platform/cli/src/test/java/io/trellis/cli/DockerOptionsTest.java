package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The agent's Docker options become the containerizers' {@code docker.*} settings. */
class DockerOptionsTest {
  private static Map<String, String> agentSettings(CommandLine cli, String... args) {
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    AgentCommand agent = parsed.subcommand().commandSpec().commandLine().getCommand();
    return agent.docker.settings();
  }

  @Test
  void unsetOptionsLeaveTheContainerizersDefaults() {
    assertEquals(Map.of(), agentSettings(new CommandLine(new Trellis()), "agent"));
  }

  @Test
  void optionsBecomeDockerSettings() {
    assertEquals(Map.of("docker.host", "tcp://127.0.0.1:2375", "docker.allow-privileged", "true",
        "docker.allow-host-volumes", "false"), agentSettings(new CommandLine(new Trellis()),
            "agent", "--docker-host", "tcp://127.0.0.1:2375", "--docker-allow-privileged",
            "--docker-allow-host-volumes=false"));
  }

  @Test
  void theConfigFileSetsThemToo() throws Exception {
    Path file = Files.createTempFile("agent", ".properties");
    Files.writeString(file, "docker-allow-host-volumes = true\n");
    CommandLine cli = new CommandLine(new Trellis());
    cli.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(file.toFile()));
    assertEquals(Map.of("docker.allow-host-volumes", "true"), agentSettings(cli, "agent"));
  }
}
