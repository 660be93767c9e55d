package io.trellis.acceptance.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.testkit.LocalJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in the system's headless Chromium against a {@code trellis local} cluster: a person
 * opens the master's address, signs in with the admin token, sees the agent and its resources, and
 * finds a service's task on the tasks page with the tail of its output. Screenshots of every page go to
 * {@code target/ui-screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserTest {
  private static Path data;
  private static LocalJvm cluster;
  private static WebDriver browser;
  private static WebDriverWait wait;
  private static String ui;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory("trellis-ui-");
    cluster = LocalJvm.onFreePorts(data.resolve("local")).start().awaitUp(Duration.ofSeconds(120));
    ui = "http://127.0.0.1:" + cluster.masterPort + "/";
    browser = Chromium.start(data.resolve("chromium"));
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (cluster != null) {
      removeApps();
      cluster.close();
    }
    LocalJvm.deleteTree(data);
  }

  /**
   * Removes the apps the tests deployed and waits (up to 30 s) until their tasks are gone: an
   * agent that stops leaves its tasks running, as it must across restarts, so a test's tasks
   * would otherwise outlive it.
   */
  private static void removeApps() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + cluster.servicesPort + "/v2/";
    for (String app : List.of("ui-hello", "ui-healthy", "ui-failing")) {
      http.send(HttpRequest.newBuilder(URI.create(base + "apps/" + app)).header("Authorization", cluster.authorization())
          .DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> tasks = http.send(HttpRequest.newBuilder(URI.create(base + "tasks"))
          .header("Authorization", cluster.authorization()).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (tasks.statusCode() == 200 && tasks.body().replace(" ", "").contains("\"tasks\":[]")) {
        return;
      }
      Thread.sleep(200);
    }
  }

  @Test
  @Order(1)
  void theMastersAddressAsksForATokenAndAWrongOneIsRefused() throws Exception {
    browser.get(ui);
    WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    assertTrue(browser.getCurrentUrl().endsWith("/ui/"), browser.getCurrentUrl());
    shot("sign-in");
    token.sendKeys("not-a-token");
    browser.findElement(By.id("signin")).click();
    WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-error")));
    assertTrue(error.getText().contains("refused"), error.getText());
  }

  @Test
  @Order(2)
  void theOverviewShowsTheAgentAndItsResources() throws Exception {
    signIn();
    WebElement agents = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("agents")));
    wait.until(d -> d.findElements(By.cssSelector("#agents .agent-row")).size() == 1);
    String row = agents.findElement(By.cssSelector(".agent-row")).getText();
    assertTrue(row.contains("reachable"), row);
    assertTrue(row.contains("/ 2"), "the agent's 2 cpus: " + row);
    String resources = browser.findElement(By.id("resources")).getText();
    assertTrue(resources.contains("cpus") && resources.contains("mem"), resources);
    assertTrue(browser.findElement(By.id("card-leader")).getText().contains("leading"),
        browser.findElement(By.id("card-leader")).getText());
    wait.until(d -> d.findElement(By.id("frameworks")).getText().contains("services"));
    shot("overview");
  }

  @Test
  @Order(3)
  void aServicesTaskShowsOnTheTasksPageAndTheFiltersNarrowIt() throws Exception {
    HttpResponse<String> deployed = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + cluster.servicesPort + "/v2/apps"))
        .header("Authorization", cluster.authorization()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"id\": \"/ui-hello\", \"cmd\": \"echo hello from the UI test; sleep 600\", \"cpus\": 0.1, \"mem\": 32}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, deployed.statusCode(), () -> deployed.body() + "\n" + tail());
    signIn();
    browser.findElement(By.id("nav-tasks")).click();
    wait.until(d -> d.findElements(By.cssSelector("#tasks .task-row")).stream()
        .anyMatch(r -> r.getText().contains("ui-hello") && r.getText().contains("running")));
    shot("tasks");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-state"))).selectByValue("FINISHED");
    wait.until(d -> d.findElement(By.id("tasks")).getText().contains("no task matches"));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-state"))).selectByValue("RUNNING");
    wait.until(d -> d.findElements(By.cssSelector("#tasks .task-row")).size() == 1);
    List<WebElement> rows = browser.findElements(By.cssSelector("#tasks .task-row"));
    rows.get(0).findElement(By.tagName("a")).click();
    WebElement details = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".task-details")));
    assertTrue(details.getText().contains("framework"), details.getText());
    wait.until(d -> d.findElement(By.id("tail-stdout")).getText().contains("hello from the UI test"));
    // The sandbox's files, listed by the agent: stderr opens in the tail.
    browser.findElement(By.cssSelector(".sandbox-files summary")).click();
    wait.until(d -> d.findElements(By.cssSelector(".sandbox-file")).stream().anyMatch(r -> r.getText().contains("stderr")));
    shot("task-details");
  }

  @Test
  @Order(4)
  void anAppDeployedFromTheServicesPageBecomesHealthyAndABadOneShowsItsFieldErrors() throws Exception {
    signIn();
    browser.findElement(By.id("nav-services")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app-id")));
    browser.findElement(By.id("app-id")).sendKeys("/ui-bad");
    browser.findElement(By.id("app-cmd")).sendKeys("sleep 600");
    browser.findElement(By.id("app-cpus")).sendKeys("-2");
    browser.findElement(By.id("app-mem")).sendKeys("1e400");
    browser.findElement(By.id("deploy-submit")).click();
    WebElement cpus = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-cpus")));
    assertTrue(cpus.getText().contains("-2") || cpus.getText().toLowerCase().contains("positive")
        || cpus.getText().contains("cpus"), cpus.getText());
    assertTrue(browser.findElement(By.id("deploy-error")).isDisplayed());
    shot("services-invalid");
    // The bad app was not stored.
    assertTrue(browser.findElements(By.cssSelector(".app-row[data-app='/ui-bad']")).isEmpty());

    browser.findElement(By.id("app-json")).sendKeys("{\"id\": \"/ui-healthy\", \"cmd\": \"sleep 600\", \"cpus\": 0.1,"
        + " \"mem\": 32, \"instances\": 1, \"healthChecks\": [{\"protocol\": \"COMMAND\", \"command\": {\"value\": \"true\"},"
        + " \"intervalSeconds\": 1, \"gracePeriodSeconds\": 1}]}");
    browser.findElement(By.id("deploy-submit")).click();
    wait.until(d -> d.findElements(By.cssSelector(".app-row[data-app='/ui-healthy']")).stream()
        .anyMatch(r -> r.getText().contains("1 healthy") && r.getText().contains("Running")));
    shot("services");
  }

  @Test
  @Order(5)
  void aJobAddedAndRunFromTheJobsPageShowsInItsHistoryAndInTheGraph() throws Exception {
    signIn();
    browser.findElement(By.id("nav-jobs")).click();
    WebElement json = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-json")));
    json.sendKeys("{\"name\": \"ui-parent\", \"command\": \"echo parent\", \"schedule\": \"R/2040-01-01T00:00:00Z/P1D\","
        + " \"cpus\": 0.1, \"mem\": 32}");
    browser.findElement(By.id("job-submit")).click();
    wait.until(d -> !d.findElements(By.cssSelector(".job-row[data-job='ui-parent']")).isEmpty());
    browser.findElement(By.id("job-json")).sendKeys("{\"name\": \"ui-child\", \"command\": \"echo child\","
        + " \"parents\": [\"ui-no-such-job\"], \"cpus\": 0.1, \"mem\": 32}");
    browser.findElement(By.id("job-submit")).click();
    WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-error")));
    assertTrue(refused.getText().contains("ui-no-such-job"), refused.getText());
    shot("jobs-invalid");
    browser.findElement(By.id("job-json")).clear();
    browser.findElement(By.id("job-json")).sendKeys("{\"name\": \"ui-child\", \"command\": \"echo child\","
        + " \"parents\": [\"ui-parent\"], \"cpus\": 0.1, \"mem\": 32}");
    browser.findElement(By.id("job-submit")).click();
    wait.until(d -> d.findElements(By.cssSelector("#job-graph line.edge")).size() == 1
        && d.findElements(By.cssSelector("#job-graph g.node")).size() == 2);

    WebElement parent = browser.findElement(By.cssSelector(".job-row[data-job='ui-parent']"));
    parent.findElement(By.cssSelector(".run-now")).click();
    parent.findElement(By.tagName("a")).click();
    wait.until(d -> d.findElements(By.cssSelector(".job-history[data-job='ui-parent'] .run-row")).stream()
        .anyMatch(r -> r.getText().contains("succeeded")));
    shot("jobs");
  }

  @Test
  @Order(6)
  void theEventsPageStreamsWhatChangesAndFiltersWarnings() throws Exception {
    signIn();
    browser.findElement(By.id("nav-events")).click();
    wait.until(d -> d.findElements(By.cssSelector("#events .event-row")).stream()
        .anyMatch(r -> r.getText().contains("registered")));
    int before = browser.findElements(By.cssSelector("#events .event-row")).size();
    // A task that fails while the page is open shows up live, as a warning.
    HttpResponse<String> deployed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + cluster.servicesPort + "/v2/apps"))
        .header("Authorization", cluster.authorization()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"/ui-failing\", \"cmd\": \"exit 3\", \"cpus\": 0.1,"
            + " \"mem\": 16, \"backoffSeconds\": 60}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, deployed.statusCode(), deployed.body());
    wait.until(d -> d.findElements(By.cssSelector("#events .event-row.warning")).stream()
        .anyMatch(r -> r.getText().contains("ui-failing") && r.getText().contains("failed")));
    assertTrue(browser.findElements(By.cssSelector("#events .event-row")).size() > before);
    browser.findElement(By.id("warnings-only")).click();
    wait.until(d -> d.findElements(By.cssSelector("#events .event-row.info")).isEmpty());
    assertTrue(!browser.findElements(By.cssSelector("#events .event-row.warning")).isEmpty());
    shot("events");
    browser.findElement(By.id("nav-overview")).click();
    WebElement leaders = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("leaders")));
    assertTrue(leaders.getText().contains("leading"), leaders.getText());
    shot("overview-busy");
  }

  @Test
  @Order(7)
  void theEnginesPageListsSparkStormAndHadoopByTheirFrameworks() throws Exception {
    signIn();
    browser.findElement(By.id("nav-bigdata")).click();
    for (String engine : List.of("spark", "storm", "hadoop")) {
      WebElement section = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("engine-" + engine)));
      // This cluster runs none: the mixed workload (bin/test-mixed) runs all three.
      assertTrue(section.getText().contains("none running"), section.getText());
    }
    shot("engines");
  }

  /** Signs in with the cluster's admin token unless this browser tab already has. */
  private static void signIn() throws Exception {
    browser.get(ui);
    wait.until(d -> !d.findElements(By.id("token")).isEmpty() || !d.findElements(By.id("overview")).isEmpty());
    if (!browser.findElements(By.id("token")).isEmpty()) {
      browser.findElement(By.id("token")).sendKeys(cluster.authorization().substring("Bearer ".length()));
      browser.findElement(By.id("signin")).click();
    }
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("overview")));
  }

  private static String tail() {
    try {
      String out = cluster.output();
      return out.substring(Math.max(0, out.length() - 6000));
    } catch (java.io.IOException e) {
      return "(no cluster output: " + e + ")";
    }
  }

  private static void shot(String name) throws Exception {
    Chromium.shot(browser, name);
  }
}
