package io.trellis.services.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.ErrorBody.FieldError;
import io.trellis.services.ServiceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupReaderTest {
  @Test
  void relativeIdsResolveAgainstTheirEnclosingGroups() {
    GroupReader.Group g = GroupReader.read("""
        {"id": "/product", "apps": [{"id": "db", "cmd": "sleep 1"}],
         "groups": [{"id": "service", "apps": [{"id": "web", "cmd": "sleep 1", "dependencies": ["../db"]},
                                              {"id": "/product/service/api", "cmd": "sleep 1"}]}]}""", null);
    assertEquals("/product", g.id());
    assertEquals(List.of("/product/db", "/product/service/web", "/product/service/api"),
        g.apps().stream().map(a -> a.app().id()).toList());
    assertNull(g.scaleBy());
  }

  @Test
  void everyInvalidFieldIsNamedByItsPathInTheGroup() {
    ServiceException e = assertThrows(ServiceException.class, () -> GroupReader.read("""
        {"id": "/g", "apps": [{"id": "a", "cmd": "x", "cpus": -1}, {"cmd": "y"}],
         "groups": [{"id": "sub", "apps": [{"id": "/elsewhere/b", "cmd": "z"}, {"id": "c", "instances": "two", "cmd": "z"}]}]}""",
        null));
    assertEquals(422, e.status());
    List<String> paths = e.errors().stream().map(FieldError::path).toList();
    assertTrue(paths.contains("$.apps[0].cpus"), paths.toString());
    assertTrue(paths.contains("$.apps[1].id"), paths.toString());
    assertTrue(paths.contains("$.groups[0].apps[0].id"), paths.toString());
    assertTrue(paths.contains("$.groups[0].apps[1].instances"), paths.toString());
  }

  @Test
  void theUrlIdMustMatchTheBodyAndScaleByMustBePositive() {
    ServiceException differs = assertThrows(ServiceException.class,
        () -> GroupReader.read("{\"id\": \"/a\", \"apps\": []}", "/b"));
    assertEquals("$.id", differs.errors().get(0).path());
    ServiceException scale = assertThrows(ServiceException.class,
        () -> GroupReader.read("{\"scaleBy\": 0}", "/b"));
    assertEquals("$.scaleBy", scale.errors().get(0).path());
    assertEquals(2.0, GroupReader.read("{\"scaleBy\": 2}", "/b").scaleBy());
  }

  @Test
  void anAppDefinedTwiceIsRefusedAndUnsupportedFieldsAreWarnings() {
    ServiceException twice = assertThrows(ServiceException.class, () -> GroupReader.read("""
        {"id": "/g", "apps": [{"id": "a", "cmd": "x"}, {"id": "/g/a", "cmd": "y"}]}""", null));
    assertTrue(twice.errors().get(0).message().contains("defined twice"), twice.errors().toString());
    ServiceException groupTwice = assertThrows(ServiceException.class, () -> GroupReader.read("""
        {"id": "/g", "groups": [{"id": "s", "apps": [{"id": "a", "cmd": "x"}]}, {"id": "/g/s", "apps": [{"id": "b", "cmd": "y"}]}]}""",
        null));
    assertEquals("$.groups[1].id", groupTwice.errors().get(0).path(), groupTwice.errors().toString());
    ServiceException both = assertThrows(ServiceException.class, () -> GroupReader.read("""
        {"id": "/g", "apps": [{"id": "s", "cmd": "x"}], "groups": [{"id": "s", "apps": [{"id": "b", "cmd": "y"}]}]}""", null));
    assertTrue(both.errors().get(0).message().contains("both an app and a group"), both.errors().toString());
    GroupReader.Group g = GroupReader.read("""
        {"id": "/g", "apps": [{"id": "a", "cmd": "x"}], "pods": [{"id": "p"}], "color": "red"}""", null);
    assertTrue(g.warnings().contains("$.pods is not supported by Trellis and is ignored"), g.warnings().toString());
    assertTrue(g.warnings().contains("$.color is not a known field and is ignored"), g.warnings().toString());
  }
}
