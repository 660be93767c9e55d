package io.trellis.master.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One suite that every {@link StateStore} passes. */
abstract class StateStoreContract {
  /** A new, empty store for each test. */
  abstract StateStore store();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void missingEntityIsEmpty() {
    StateStore store = store();
    assertEquals(Optional.empty(), store.get("agents", "a1"));
    assertEquals(List.of(), store.ids("agents"));
    assertEquals(Map.of(), store.getAll("agents"));
  }

  @Test
  void putCreatesAtVersionZeroAndEachWriteAddsOne() {
    StateStore store = store();
    assertEquals(0, store.put("agents", "a1", bytes("{\"v\":1}")));
    assertEquals(new Versioned(bytes("{\"v\":1}"), 0), store.get("agents", "a1").orElseThrow());
    assertEquals(1, store.put("agents", "a1", "{\"v\":2}"));
    assertEquals(2, store.put("agents", "a1", "{\"v\":3}"));
    Versioned stored = store.get("agents", "a1").orElseThrow();
    assertEquals("{\"v\":3}", stored.text());
    assertEquals(2, stored.version());
  }

  @Test
  void idsAndGetAllListEveryEntityInIdOrder() {
    StateStore store = store();
    store.put("frameworks", "f3", "3");
    store.put("frameworks", "f1", "1");
    store.put("frameworks", "f2", "2");
    assertEquals(List.of("f1", "f2", "f3"), store.ids("frameworks"));
    Map<String, Versioned> all = store.getAll("frameworks");
    assertEquals(List.of("f1", "f2", "f3"), List.copyOf(all.keySet()));
    assertEquals("2", all.get("f2").text());
  }

  @Test
  void collectionsAreSeparate() {
    StateStore store = store();
    store.put("agents", "x", "agent");
    store.put("frameworks", "x", "framework");
    assertEquals("agent", store.get("agents", "x").orElseThrow().text());
    assertEquals("framework", store.get("frameworks", "x").orElseThrow().text());
    assertTrue(store.delete("agents", "x"));
    assertEquals(List.of("x"), store.ids("frameworks"));
  }

  @Test
  void idsWithAnyCharactersRoundTrip() {
    StateStore store = store();
    List<String> ids = List.of("analytics/spark", "/", ".", "..", "...", "a b", "100%", "%2F", "zookeeper",
        "host:5050", "ünïcødé", "日本", "emoji\uD83D\uDE00", "tab\there", "q?x#y", "-_.~");
    for (String id : ids) {
      store.put("roles", id, id);
    }
    assertEquals(ids.stream().sorted().toList(), store.ids("roles"));
    for (String id : ids) {
      assertEquals(id, store.get("roles", id).orElseThrow().text(), id);
    }
    assertEquals(ids.size(), store.getAll("roles").size());
    assertEquals(Optional.empty(), store.get("roles", "analytics"));
  }

  @Test
  void collectionNamesMayHoldAnyCharactersToo() {
    StateStore store = store();
    store.put("weird/collection", "id", "v");
    assertEquals(List.of("id"), store.ids("weird/collection"));
    assertEquals(List.of(), store.ids("weird"));
  }

  @Test
  void putIfAbsentCreatesOnlyOnce() {
    StateStore store = store();
    assertEquals(0, store.putIfVersion("roles", "web", "w1", StateStore.ABSENT));
    VersionConflictException e = assertThrows(VersionConflictException.class,
        () -> store.putIfVersion("roles", "web", "w2", StateStore.ABSENT));
    assertEquals("version conflict on roles 'web': expected it to be absent but it is at version 0; "
        + "read it again and retry", e.getMessage());
    assertEquals("w1", store.get("roles", "web").orElseThrow().text());
  }

  @Test
  void putIfVersionWritesOnlyAtTheExpectedVersion() {
    StateStore store = store();
    store.put("roles", "web", "w0");
    store.put("roles", "web", "w1");
    assertEquals(2, store.putIfVersion("roles", "web", "w2", 1));
    VersionConflictException e = assertThrows(VersionConflictException.class,
        () -> store.putIfVersion("roles", "web", "stale", 1));
    assertEquals("version conflict on roles 'web': expected version 1 but it is at version 2; "
        + "read it again and retry", e.getMessage());
    assertEquals(new Versioned(bytes("w2"), 2), store.get("roles", "web").orElseThrow());
  }

  @Test
  void putIfVersionOfAMissingEntityConflicts() {
    StateStore store = store();
    VersionConflictException e = assertThrows(VersionConflictException.class,
        () -> store.putIfVersion("roles", "gone", "x", 0));
    assertEquals("version conflict on roles 'gone': expected version 0 but it does not exist; "
        + "read it again and retry", e.getMessage());
    assertEquals(Optional.empty(), store.get("roles", "gone"));
  }

  @Test
  void badExpectedVersionIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store().putIfVersion("roles", "web", "x", -2));
    assertTrue(e.getMessage().startsWith("bad expected version -2"), e.getMessage());
  }

  @Test
  void deleteRemovesAndSaysWhetherItExisted() {
    StateStore store = store();
    store.put("agents", "a1", "1");
    store.put("agents", "a1", "2");
    store.put("agents", "a2", "x");
    assertTrue(store.delete("agents", "a1"));
    assertFalse(store.delete("agents", "a1"));
    assertFalse(store.delete("nothing-here", "a1"));
    assertEquals(Optional.empty(), store.get("agents", "a1"));
    assertEquals(List.of("a2"), store.ids("agents"));
    assertEquals(0, store.put("agents", "a1", "again"), "a re-created entity starts over at version 0");
  }

  @Test
  void valueAtTheLimitIsStored() {
    StateStore store = store();
    byte[] big = new byte[StateStore.MAX_VALUE_BYTES];
    Arrays.fill(big, (byte) 'x');
    store.put("tasks", "big", big);
    assertArrayEquals(big, store.get("tasks", "big").orElseThrow().value());
  }

  @Test
  void valueOverTheLimitIsRefusedNamingTheEntityAndNothingIsWritten() {
    StateStore store = store();
    store.put("tasks", "t1", "small");
    byte[] tooBig = new byte[StateStore.MAX_VALUE_BYTES + 1];
    EntityTooLargeException e = assertThrows(EntityTooLargeException.class, () -> store.put("tasks", "t1", tooBig));
    assertEquals("cannot store tasks 't1': its value of 1000001 bytes exceeds the limit of 1000000 bytes; "
        + "split it into smaller entities", e.getMessage());
    assertThrows(EntityTooLargeException.class, () -> store.putIfVersion("tasks", "t2", tooBig, StateStore.ABSENT));
    assertEquals(new Versioned(bytes("small"), 0), store.get("tasks", "t1").orElseThrow());
    assertEquals(List.of("t1"), store.ids("tasks"));
  }

  @Test
  void emptyValuesAreKept() {
    StateStore store = store();
    store.put("agents", "a1", new byte[0]);
    assertEquals(new Versioned(new byte[0], 0), store.get("agents", "a1").orElseThrow());
  }

  @Test
  void storedValuesAreCopies() {
    StateStore store = store();
    byte[] value = bytes("abc");
    store.put("agents", "a1", value);
    value[0] = 'z';
    byte[] read = store.get("agents", "a1").orElseThrow().value();
    read[1] = 'z';
    assertEquals("abc", store.get("agents", "a1").orElseThrow().text());
  }

  @Test
  void emptyIdsAndCollectionsAreRejected() {
    StateStore store = store();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.put("agents", "", "x"));
    assertEquals("empty id in collection agents; every entity needs an id", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> store.get("", "a"));
    assertThrows(IllegalArgumentException.class, () -> store.ids(""));
    assertThrows(IllegalArgumentException.class, () -> store.delete("agents", null));
  }
}
