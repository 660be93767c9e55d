package io.trellis.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trellis job add|list|show|run|delete|history}: the jobs API from the command line. */
@Command(name = "job", mixinStandardHelpOptions = true,
    description = "Manage jobs of the jobs framework (Chronos job JSON accepted).",
    subcommands = {JobCommand.Add.class, JobCommand.ListJobs.class, JobCommand.Show.class, JobCommand.Run.class,
        JobCommand.Delete.class, JobCommand.History.class})
public final class JobCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static String defaultJobs() {
    String env = System.getenv("TRELLIS_JOBS");
    return env == null || env.isBlank() ? "http://127.0.0.1:4400" : env;
  }

  static String path(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Options and error handling every subcommand shares. */
  abstract static class Sub implements Callable<Integer> {
    @Option(names = "--jobs", description = "The jobs API (default: $TRELLIS_JOBS or http://127.0.0.1:4400)")
    String jobs = defaultJobs();

    @picocli.CommandLine.Mixin
    io.trellis.plugin.ClientOptions client = new io.trellis.plugin.ClientOptions();

    @Override
    public final Integer call() {
      try {
        return run(new JobsApiClient(jobs, client.security()));
      } catch (JobsApiClient.JobsApiException | IllegalArgumentException e) {
        System.err.println("trellis job: " + e.getMessage());
        return 1;
      }
    }

    abstract int run(JobsApiClient api);
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Create or update jobs from a JSON file: one job or an array; jobs with parents are dependent.")
  static final class Add extends Sub {
    @Parameters(paramLabel = "FILE", description = "A job definition (Chronos JSON), or - for standard input")
    String file;

    @Override
    int run(JobsApiClient api) {
      String text;
      try {
        text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
      } catch (IOException e) {
        System.err.println("trellis job add: cannot read " + file + ": " + e.getMessage());
        return 2;
      }
      JsonNode root;
      try {
        root = Json.mapper().readTree(text);
      } catch (IOException e) {
        System.err.println("trellis job add: " + file + " is not JSON: " + e.getMessage());
        return 2;
      }
      List<JsonNode> defs = new ArrayList<>();
      if (root.isArray()) {
        root.forEach(defs::add);
      } else {
        defs.add(root);
      }
      for (JsonNode d : defs) {
        boolean dependent = d.path("parents").isArray() && !d.path("parents").isEmpty();
        api.send("POST", "/v1/scheduler/" + (dependent ? "dependency" : "iso8601"), d.toString());
        System.out.println((dependent ? "dependent job " : "job ") + d.path("name").asText() + " saved");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs with their state and next run.")
  static final class ListJobs extends Sub {
    @Override
    int run(JobsApiClient api) {
      JsonNode jobs = api.json("GET", "/v1/scheduler/jobs/summary", null).path("jobs");
      System.out.printf("%-30s %-8s %-10s %-26s %s%n", "NAME", "STATUS", "STATE", "NEXT RUN", "SCHEDULE / PARENTS");
      for (JsonNode j : jobs) {
        String when = j.path("parents").isEmpty() ? j.path("schedule").asText() : "after " + j.path("parents");
        System.out.printf("%-30s %-8s %-10s %-26s %s%s%n", j.path("name").asText(), j.path("status").asText(),
            j.path("state").asText(), j.path("nextRun").asText().isEmpty() ? "-" : j.path("nextRun").asText(), when,
            j.path("disabled").asBoolean() ? " (disabled)" : "");
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a job's definition and counters as JSON.")
  static final class Show extends Sub {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run(JobsApiClient api) {
      System.out.println(api.json("GET", "/v1/scheduler/job/" + path(name), null).toPrettyString());
      return 0;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a job now, whatever its schedule.")
  static final class Run extends Sub {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--arg", description = "An argument replacing the job's (repeatable)")
    List<String> args = new ArrayList<>();

    @Override
    int run(JobsApiClient api) {
      StringBuilder query = new StringBuilder();
      for (String a : args) {
        query.append(query.length() == 0 ? "?" : "&").append("arguments=").append(URLEncoder.encode(a, StandardCharsets.UTF_8));
      }
      api.send("PUT", "/v1/scheduler/job/" + path(name) + query, null);
      System.out.println("job " + name + " started");
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a job, killing its running tasks.")
  static final class Delete extends Sub {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run(JobsApiClient api) {
      api.send("DELETE", "/v1/scheduler/job/" + path(name), null);
      System.out.println("job " + name + " deleted");
      return 0;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "A job's runs, statistics and counters.")
  static final class History extends Sub {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--json", description = "Print the raw history.")
    boolean json;

    @Override
    int run(JobsApiClient api) {
      JsonNode runs = api.json("GET", "/v1/scheduler/job/" + path(name) + "/history", null);
      if (json) {
        System.out.println(runs.toPrettyString());
        return 0;
      }
      JsonNode job = api.json("GET", "/v1/scheduler/job/" + path(name), null);
      JsonNode stat = api.json("GET", "/v1/scheduler/job/stat/" + path(name), null).path("histogram");
      System.out.printf("%-22s %-10s %-14s %-8s %-6s %-22s %-10s %s%n", "SLOT", "TRIGGER", "STATE", "ATTEMPTS", "EXIT",
          "STARTED", "DURATION", "TASK");
      for (JsonNode r : runs) {
        System.out.printf("%-22s %-10s %-14s %-8s %-6s %-22s %-10s %s%n", r.path("slot").asText(), r.path("trigger").asText(),
            r.path("state").asText(), r.path("attempts").asText(), r.path("exitStatus").asText("-"),
            r.path("started").asText("-"), r.has("durationMs") ? r.path("durationMs").asLong() + " ms" : "-",
            r.path("taskId").asText());
      }
      System.out.printf("%nsuccesses %d, errors %d, errors since last success %d, last success %s, last error %s%n",
          job.path("successCount").asLong(), job.path("errorCount").asLong(), job.path("errorsSinceLastSuccess").asLong(),
          job.path("lastSuccess").asText().isEmpty() ? "-" : job.path("lastSuccess").asText(),
          job.path("lastError").asText().isEmpty() ? "-" : job.path("lastError").asText());
      System.out.printf("duration of %d successful runs: p50 %d ms, p75 %d ms, p95 %d ms, p99 %d ms%n",
          stat.path("count").asLong(), stat.path("median").asLong(), stat.path("75thPercentile").asLong(),
          stat.path("95thPercentile").asLong(), stat.path("99thPercentile").asLong());
      return 0;
    }
  }
}
