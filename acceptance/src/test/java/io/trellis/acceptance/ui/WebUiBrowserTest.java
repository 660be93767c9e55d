package io.trellis.acceptance.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.testkit.LocalJvm;
import java.io.File;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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
  private static final Path SHOTS = Path.of("target", "ui-screenshots");
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
    browser = chromium();
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    Files.createDirectories(SHOTS);
  }

  /** Debian's chromium and chromium-driver (bin/test installs them); never a downloaded browser. */
  private static WebDriver chromium() {
    File binary = new File("/usr/bin/chromium");
    File driver = new File("/usr/bin/chromedriver");
    if (!binary.canExecute() || !driver.canExecute()) {
      throw new AssertionError("the browser tests need Debian's Chromium and its driver: apt-get install -y chromium"
          + " chromium-driver (bin/test installs them)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1000", "--user-data-dir=" + data.resolve("chromium"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort()
        .build();
    return new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (cluster != null) {
      cluster.close();
    }
    LocalJvm.deleteTree(data);
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
    shot("task-details");
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
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }
}
