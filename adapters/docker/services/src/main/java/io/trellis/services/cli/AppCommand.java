package io.trellis.services.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.api.Json;
import io.trellis.services.app.AppId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trellis app}: deploy, list, show, scale, restart and destroy apps through the /v2 API. */
@Command(name = "app", mixinStandardHelpOptions = true,
    description = "Manage long-running apps (JSON app definitions of the /v2 API) on the services API.",
    subcommands = {AppCommand.Deploy.class, AppCommand.ListApps.class, AppCommand.Show.class,
        AppCommand.Scale.class, AppCommand.Restart.class, AppCommand.Destroy.class})
public final class AppCommand implements Runnable {
  @Option(names = "--services", scope = CommandLine.ScopeType.INHERIT,
      defaultValue = "${env:TRELLIS_SERVICES:-http://127.0.0.1:8080}",
      description = "The services API (default: $TRELLIS_SERVICES or ${DEFAULT-VALUE})")
  String services;

  @CommandLine.Mixin
  io.trellis.plugin.ClientOptions client = new io.trellis.plugin.ClientOptions();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs a call, printing an API error as a message and exiting 1. */
  abstract static class Sub implements Callable<Integer> {
    @CommandLine.ParentCommand
    AppCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    abstract void run(ServicesApi api, PrintWriter out) throws IOException;

    @Override
    public Integer call() throws IOException {
      try {
        run(new ServicesApi(parent.services, parent.client.security()), spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return 0;
      } catch (ServicesApi.ApiError | IllegalArgumentException e) {
        spec.commandLine().getErr().println("trellis app " + spec.name() + ": " + e.getMessage());
        return 1;
      }
    }

    static String path(String id) {
      return AppId.absolute(id);
    }
  }

  @Command(name = "deploy", description = "Create or update the app in FILE (a JSON app definition, or an array"
      + " of them, created together, dependencies first).")
  static final class Deploy extends Sub {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--force", description = "Override a deployment in progress")
    boolean force;

    @Override
    void run(ServicesApi api, PrintWriter out) throws IOException {
      if (!Files.isReadable(file)) {
        throw new ServicesApi.ApiError("cannot read " + file);
      }
      String body = Files.readString(file);
      JsonNode json;
      try {
        json = Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new ServicesApi.ApiError(file + " is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
      }
      if (json.isArray()) {
        // Several apps (Marathon's batch): created or replaced together, dependencies first.
        JsonNode r = api.call("PUT", "/v2/apps?partialUpdate=false" + (force ? "&force=true" : ""), body);
        for (JsonNode w : r.path("warnings")) {
          out.println("warning: " + w.asText());
        }
        List<String> ids = new ArrayList<>();
        json.forEach(a -> ids.add(path(a.path("id").asText())));
        List<String> deployments = new ArrayList<>();
        r.path("deploymentIds").forEach(d -> deployments.add(d.asText()));
        out.println("deployed " + String.join(", ", ids) + " (deployments " + String.join(", ", deployments) + ")");
        return;
      }
      if (!json.path("id").isTextual()) {
        throw new ServicesApi.ApiError(file + " has no \"id\": every app needs one");
      }
      String id = path(json.path("id").asText());
      JsonNode r = api.call("PUT", "/v2/apps" + id + "?partialUpdate=false" + (force ? "&force=true" : ""), body);
      for (JsonNode w : r.path("warnings")) {
        out.println("warning: " + w.asText());
      }
      out.println("deployed " + id + " version " + r.path("version").asText() + " (deployment " + r.path("deploymentId").asText() + ")");
    }
  }

  @Command(name = "list", description = "List apps with their instance counts.")
  static final class ListApps extends Sub {
    @Override
    void run(ServicesApi api, PrintWriter out) {
      JsonNode apps = api.call("GET", "/v2/apps", null).path("apps");
      out.printf("%-40s %9s %8s %8s %8s  %s%n", "ID", "INSTANCES", "RUNNING", "HEALTHY", "STAGED", "DEPLOYING");
      for (JsonNode a : apps) {
        out.printf("%-40s %9d %8d %8d %8d  %s%n", a.path("id").asText(), a.path("instances").asInt(),
            a.path("tasksRunning").asInt(), a.path("tasksHealthy").asInt(), a.path("tasksStaged").asInt(),
            a.path("deployments").size() > 0 ? "yes" : "no");
      }
    }
  }

  @Command(name = "show", description = "Show an app with its tasks (JSON).")
  static final class Show extends Sub {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    void run(ServicesApi api, PrintWriter out) throws IOException {
      JsonNode app = api.call("GET", "/v2/apps" + path(id), null).path("app");
      out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(app));
    }
  }

  @Command(name = "scale", description = "Set the number of instances of an app.")
  static final class Scale extends Sub {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Parameters(index = "1", paramLabel = "N")
    int instances;

    @Option(names = "--force", description = "Override a deployment in progress")
    boolean force;

    @Override
    void run(ServicesApi api, PrintWriter out) {
      if (instances < 0) {
        throw new ServicesApi.ApiError("N must be 0 or more, not " + instances);
      }
      ObjectNode body = Json.mapper().createObjectNode().put("instances", instances);
      JsonNode r = api.call("PUT", "/v2/apps" + path(id) + (force ? "?force=true" : ""), body.toString());
      out.println("scaling " + path(id) + " to " + instances + " (deployment " + r.path("deploymentId").asText() + ")");
    }
  }

  @Command(name = "restart", description = "Replace every instance of an app, rolling.")
  static final class Restart extends Sub {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--force", description = "Override a deployment in progress")
    boolean force;

    @Override
    void run(ServicesApi api, PrintWriter out) {
      JsonNode r = api.call("POST", "/v2/apps" + path(id) + "/restart" + (force ? "?force=true" : ""), null);
      out.println("restarting " + path(id) + " (deployment " + r.path("deploymentId").asText() + ")");
    }
  }

  @Command(name = "destroy", description = "Stop every instance of an app and delete it.")
  static final class Destroy extends Sub {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--force", description = "Override a deployment in progress")
    boolean force;

    @Override
    void run(ServicesApi api, PrintWriter out) {
      JsonNode r = api.call("DELETE", "/v2/apps" + path(id) + (force ? "?force=true" : ""), null);
      out.println("destroying " + path(id) + " (deployment " + r.path("deploymentId").asText() + ")");
    }
  }
}
