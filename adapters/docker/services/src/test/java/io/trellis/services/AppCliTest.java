package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.services.cli.AppCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code trellis app} against a real services API: deploy, list, scale, show, restart, destroy, errors. */
class AppCliTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[31500-31549]", "");
  }

  record Run(int code, String out, String err) {}

  Run app(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new AppCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--services";
    all[args.length + 1] = cluster.api.base;
    int code = cli.execute(all);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void theAppCommandsDriveAnAppThroughItsLife() throws Exception {
    Path file = cluster.dir.resolve("cli-app.json");
    Files.writeString(file, """
        {"id": "/cli/web", "cmd": "exec busybox httpd -f -p $PORT0", "instances": 1, "cpus": 0.1, "mem": 16,
         "fetch": [{"uri": "http://example.com/x"}]}""");
    Run deploy = app("deploy", file.toString());
    assertEquals(0, deploy.code(), deploy.err());
    assertTrue(deploy.out().contains("warning: $.fetch is not supported"), deploy.out());
    assertTrue(deploy.out().contains("deployed /cli/web"), deploy.out());
    Waits.until("1 instance", Duration.ofSeconds(60), () -> cluster.api.readyInstances("/cli/web") == 1);

    Run scale = app("scale", "/cli/web", "3");
    assertEquals(0, scale.code(), scale.err());
    Waits.until("3 instances", Duration.ofSeconds(60), () -> cluster.api.readyInstances("/cli/web") == 3);
    Waits.until("deployments done", Duration.ofSeconds(30), cluster.api::deploymentsDone);

    Run list = app("list");
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("/cli/web") && l.contains(" 3 ")), list.out());

    Run show = app("show", "cli/web");
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains("\"tasksRunning\" : 3"), show.out());

    Run restart = app("restart", "/cli/web");
    assertEquals(0, restart.code(), restart.err());
    Waits.until("restart done", Duration.ofSeconds(60), () -> cluster.api.deploymentsDone() && cluster.api.readyInstances("/cli/web") == 3);

    Run destroy = app("destroy", "/cli/web");
    assertEquals(0, destroy.code(), destroy.err());
    assertEquals(404, cluster.api.get("/v2/apps/cli/web").status());
  }

  @Test
  void anAppLockedByADeploymentIsDestroyedOnlyWithForce() throws Exception {
    Path file = cluster.dir.resolve("too-big.json");
    Files.writeString(file, "{\"id\": \"/cli/too-big\", \"cmd\": \"sleep 60\", \"mem\": 999999}");
    assertEquals(0, app("deploy", file.toString()).code());

    Run refused = app("destroy", "/cli/too-big");
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("locked by deployment"), refused.err());
    assertTrue(refused.err().contains("again with --force"), refused.err());
    assertEquals(200, cluster.api.get("/v2/apps/cli/too-big").status());

    Run forced = app("destroy", "/cli/too-big", "--force");
    assertEquals(0, forced.code(), forced.err());
    assertEquals(404, cluster.api.get("/v2/apps/cli/too-big").status());
  }

  @Test
  void aFileOfSeveralAppsIsDeployedTogether_andACycleIsRefused() throws Exception {
    Path file = cluster.dir.resolve("pair.json");
    Files.writeString(file, """
        [{"id": "/cli/pair/web", "cmd": "sleep 1000", "cpus": 0.01, "mem": 8, "portDefinitions": [], "dependencies": ["db"]},
         {"id": "/cli/pair/db", "cmd": "sleep 1000", "cpus": 0.01, "mem": 8, "portDefinitions": []}]""");
    Run deploy = app("deploy", file.toString());
    assertEquals(0, deploy.code(), deploy.err());
    assertTrue(deploy.out().contains("deployed /cli/pair/web, /cli/pair/db"), deploy.out());
    Waits.until("both run", Duration.ofSeconds(60), () -> cluster.api.readyInstances("/cli/pair/web") == 1);

    Files.writeString(file, "[{\"id\": \"/cli/pair/db\", \"cmd\": \"sleep 1000\", \"dependencies\": [\"web\"]}]");
    Run cycle = app("deploy", file.toString(), "--force");
    assertEquals(1, cycle.code(), cycle.out());
    assertTrue(cycle.err().contains("/cli/pair/db -> /cli/pair/web -> /cli/pair/db"), cycle.err());
    assertTrue(!cycle.err().contains("Exception"), cycle.err());
    assertEquals(200, cluster.api.send("DELETE", "/v2/groups/cli/pair?force=true", null).status());
  }

  @Test
  void showNamesTheLastFailureWithTheEndOfItsStderr() throws Exception {
    Path file = cluster.dir.resolve("typo.json");
    Files.writeString(file, "{\"id\": \"/cli/typo\", \"cmd\": \"no-such-server --port $PORT0\", \"mem\": 8,"
        + " \"cpus\": 0.01, \"backoffSeconds\": 30}");
    assertEquals(0, app("deploy", file.toString()).code());
    Waits.until("show names the failure and its stderr", Duration.ofSeconds(60), () -> {
      Run show = app("show", "/cli/typo");
      return show.out().contains("exited with status 127; stderr: ") && show.out().contains("not found");
    });
    assertEquals(0, app("destroy", "/cli/typo", "--force").code());
  }

  @Test
  void errorsAreMessagesWithAFailingExitCode() throws Exception {
    Path bad = cluster.dir.resolve("bad.json");
    Files.writeString(bad, "{\"id\": \"/bad\", \"cmd\": \"x\", \"cpus\": -1, \"instances\": \"two\"}");
    Run r = app("deploy", bad.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("$.cpus: -1.0 is below the minimum 0"), r.err());
    assertTrue(r.err().contains("$.instances: must be an integer"), r.err());
    assertTrue(!r.err().contains("Exception"), r.err());

    Run missing = app("show", "/nope");
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("App '/nope' does not exist"), missing.err());

    Run unreachable = new Run(new CommandLine(new AppCommand()).setErr(new PrintWriter(new StringWriter()))
        .execute("list", "--services", "http://127.0.0.1:1"), "", "");
    assertEquals(1, unreachable.code());
  }
}
