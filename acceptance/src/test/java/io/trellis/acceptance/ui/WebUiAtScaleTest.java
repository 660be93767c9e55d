package io.trellis.acceptance.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.FixedMasterDetector;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.simulator.SimulatedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The overview and tasks pages against a master with 1,000 simulated agents and 10,000 running
 * tasks: both render, paged on the master. How long each took to show is printed and written to
 * {@code target/ui-screenshots/render-times.txt}; it is reported, not asserted (a timing on a
 * shared machine says little in a test).
 */
class WebUiAtScaleTest {
  private static final int AGENTS = 1000;
  private static final int TASKS = 10_000;
  private static final String AGENT = "cpus:8;mem:32768;ports:[31000-32000]";
  private static final String TASK = "cpus:0.5;mem:512";

  @Test
  void theOverviewAndTasksPagesRenderWithAThousandAgentsAndTenThousandTasks() throws Exception {
    Path profile = Files.createTempDirectory("trellis-ui-scale-");
    try (MasterProcess master = MasterProcess.standalone(MasterConfig.defaults().withPort(0));
        SimulatedCluster sim = SimulatedCluster.start(master.endpoint(), AGENTS, AGENT)) {
      sim.awaitRegistered(Duration.ofMinutes(5));
      SchedulerClient client = fill(master.endpoint());
      WebDriver browser = Chromium.start(profile);
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        long start = System.nanoTime();
        browser.get("http://" + master.endpoint() + "/ui/");
        wait.until(d -> d.findElements(By.cssSelector("#agents .agent-row")).size() == 50
            && d.findElement(By.id("card-agents")).getText().contains(Integer.toString(AGENTS)));
        double overview = (System.nanoTime() - start) / 1e9;
        assertTrue(browser.findElement(By.id("agents")).getText().contains("1–50 of " + AGENTS),
            browser.findElement(By.id("agents")).getText());
        Chromium.shot(browser, "overview-1000-agents");

        start = System.nanoTime();
        browser.get("http://" + master.endpoint() + "/ui/#/tasks");
        wait.until(d -> d.findElements(By.cssSelector("#tasks .task-row")).size() == 100
            && d.findElement(By.id("tasks")).getText().contains("of " + TASKS));
        double tasks = (System.nanoTime() - start) / 1e9;
        Chromium.shot(browser, "tasks-10000");

        String report = String.format("web UI at %d agents and %d tasks (%d cores): overview shown in %.2f s,"
            + " tasks page in %.2f s%n", AGENTS, TASKS, Runtime.getRuntime().availableProcessors(), overview, tasks);
        System.out.print(report);
        Files.writeString(Chromium.SHOTS.resolve("render-times.txt"), report);
      } finally {
        browser.quit();
        client.teardown();
        client.close();
      }
    } finally {
      io.trellis.testkit.LocalJvm.deleteTree(profile);
    }
  }

  /** A framework that launches {@value #TASKS} tasks on the simulated agents and waits until they run. */
  private static SchedulerClient fill(String master) throws Exception {
    AtomicInteger left = new AtomicInteger(TASKS);
    CountDownLatch running = new CountDownLatch(TASKS);
    Resources one = Resources.parse(TASK);
    SchedulerClient client = SchedulerClient.start(new FixedMasterDetector(master),
        new FrameworkInfo(null, "ui-scale", "test", List.of("*"), 0.0, null), new Scheduler() {
          @Override
          public void offers(SchedulerClient c, List<OfferInfo> offers) {
            for (OfferInfo o : offers) {
              Resources free = Resources.parse(o.resources());
              List<TaskSpec> batch = new ArrayList<>();
              while (free.contains(one) && left.getAndDecrement() > 0) {
                String id = "t-" + left.get();
                batch.add(new TaskSpec(id, id, o.agentId(), TASK, CommandSpec.shell("serve"), Map.of(), null, null));
                free = free.minus(one);
              }
              if (batch.isEmpty()) {
                c.decline(List.of(o.id()), 5.0);
              } else {
                c.accept(List.of(o.id()), batch, 0.0);
              }
            }
          }

          @Override
          public void update(SchedulerClient c, TaskStatus s) {
            if (s.state() == TaskState.RUNNING) {
              running.countDown();
            }
          }
        });
    client.awaitSubscribed(Duration.ofSeconds(30));
    client.revive(List.of());
    assertTrue(running.await(5, TimeUnit.MINUTES), running.getCount() + " of " + TASKS + " tasks are not running");
    assertEquals(0, running.getCount());
    return client;
  }
}
