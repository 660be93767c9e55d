package io.trellis.master.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A state store in memory, for tests and for {@code trellis local} runs that keep nothing. */
public final class InMemoryStateStore implements StateStore {
  private final Map<String, TreeMap<String, Versioned>> collections = new HashMap<>(); // guarded by this

  @Override
  public synchronized Optional<Versioned> get(String collection, String id) {
    EntityKey key = new EntityKey(collection, id);
    return Optional.ofNullable(entities(key.collection()).get(key.id()));
  }

  @Override
  public synchronized List<String> ids(String collection) {
    EntityKey.checkCollection(collection);
    return List.copyOf(entities(collection).keySet());
  }

  @Override
  public synchronized Map<String, Versioned> getAll(String collection) {
    EntityKey.checkCollection(collection);
    return Collections.unmodifiableMap(new LinkedHashMap<>(entities(collection)));
  }

  @Override
  public synchronized int put(String collection, String id, byte[] value) {
    EntityKey key = new EntityKey(collection, id);
    key.checkValue(value);
    Versioned old = entities(collection).get(id);
    return store(key, value, old == null ? 0 : old.version() + 1);
  }

  @Override
  public synchronized int putIfVersion(String collection, String id, byte[] value, int expectedVersion) {
    EntityKey key = new EntityKey(collection, id);
    key.checkValue(value);
    EntityKey.checkExpectedVersion(expectedVersion);
    Versioned old = entities(collection).get(id);
    int actual = old == null ? ABSENT : old.version();
    if (actual != expectedVersion) {
      throw key.conflict(expectedVersion, old == null ? "it does not exist" : "it is at version " + actual);
    }
    return store(key, value, actual + 1);
  }

  @Override
  public synchronized boolean delete(String collection, String id) {
    EntityKey key = new EntityKey(collection, id);
    TreeMap<String, Versioned> entities = collections.get(key.collection());
    return entities != null && entities.remove(key.id()) != null;
  }

  private int store(EntityKey key, byte[] value, int version) {
    collections.computeIfAbsent(key.collection(), c -> new TreeMap<>()).put(key.id(), new Versioned(value, version));
    return version;
  }

  private Map<String, Versioned> entities(String collection) {
    TreeMap<String, Versioned> entities = collections.get(collection);
    return entities == null ? Map.of() : entities;
  }

  @Override
  public synchronized String toString() {
    List<String> sizes = new ArrayList<>();
    collections.forEach((c, e) -> sizes.add(c + "=" + e.size()));
    return "InMemoryStateStore" + sizes;
  }
}
