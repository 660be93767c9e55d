package io.trellis.services.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.TaskSpec;
import io.trellis.core.resource.Resources;
import io.trellis.services.ServiceException;
import io.trellis.services.launch.TaskBuilder;
import io.trellis.services.placement.Fit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An app's {@code priority} and {@code preemptible} reach its tasks; bad values are refused by path. */
class PreemptionFieldsTest {
  private static TaskSpec taskOf(AppDefinition app) {
    return TaskBuilder.task(app.withVersion("2026-01-01T00:00:00Z", null), "t1", "a1",
        new Fit(Resources.parse("cpus:1;mem:128"), List.of()));
  }

  @Test
  void priorityAndPreemptibleReachTheTasks() {
    AppDefinition app = AppReader.read("""
        {"id": "/batch", "cmd": "sleep 60", "portDefinitions": [], "priority": -5, "preemptible": false}""").app();
    assertEquals(-5, app.priority());
    TaskSpec task = taskOf(app);
    assertEquals(-5, task.priority());
    assertEquals(false, task.preemptible());
  }

  @Test
  void withoutThemTasksTakeTheFrameworksPriorityAndArePreemptible() {
    TaskSpec task = taskOf(AppReader.read("{\"id\": \"/web\", \"cmd\": \"x\", \"portDefinitions\": []}").app());
    assertNull(task.priority());
    assertNull(task.preemptible());
  }

  @Test
  void badValuesAreRefusedNamingTheField() {
    for (String bad : List.of("1.5", "1e400", "\"high\"", "2000000000", "-1000000001", "99999999999999999999")) {
      ServiceException e = assertThrows(ServiceException.class,
          () -> AppReader.read("{\"id\": \"/x\", \"cmd\": \"x\", \"priority\": " + bad + "}"), bad);
      assertEquals(422, e.status(), bad);
      assertEquals(List.of("$.priority"), e.errors().stream().map(f -> f.path()).toList(), bad);
    }
    ServiceException e = assertThrows(ServiceException.class,
        () -> AppReader.read("{\"id\": \"/x\", \"cmd\": \"x\", \"preemptible\": \"no\"}"));
    assertEquals("$.preemptible", e.errors().get(0).path());
    assertTrue(e.errors().get(0).message().contains("boolean"), e.errors().get(0).message());
  }
}
