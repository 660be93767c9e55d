package io.trellis.master.state;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The master's durable state: one value per entity, addressed by a collection (such as
 * {@code "frameworks"}, {@code "agents"}, {@code "roles"}) and an id within it. Ids may hold any
 * characters, slashes included ({@code analytics/spark}). Each entity carries a version: 0 when
 * created, one more with each write, so that callers can compare and set.
 *
 * <p>Values are at most {@link #MAX_VALUE_BYTES}. Keep collections as many small entities, never
 * one large value: ZooKeeper caps each znode near 1 MB.
 */
public interface StateStore {
  /** The largest value stored, in bytes: 1 MB, leaving room in ZooKeeper's 1 MiB packets. */
  int MAX_VALUE_BYTES = 1_000_000;

  /** The expected version of an entity that must not exist yet. */
  int ABSENT = -1;

  Optional<Versioned> get(String collection, String id);

  /** The ids of a collection in ascending order; empty for an unknown collection. */
  List<String> ids(String collection);

  /** Every entity of a collection by id, in ascending order of ids. */
  Map<String, Versioned> getAll(String collection);

  /**
   * Creates the entity or replaces its value, whatever its version.
   *
   * @return the new version
   * @throws EntityTooLargeException if {@code value} exceeds {@link #MAX_VALUE_BYTES}
   * @throws FencedException if this store's master no longer leads
   */
  int put(String collection, String id, byte[] value);

  /**
   * Writes only if the entity is at {@code expectedVersion} ({@link #ABSENT}: only if it does
   * not exist).
   *
   * @return the new version
   * @throws VersionConflictException if the entity is at another version or its existence differs
   * @throws EntityTooLargeException if {@code value} exceeds {@link #MAX_VALUE_BYTES}
   * @throws FencedException if this store's master no longer leads
   */
  int putIfVersion(String collection, String id, byte[] value, int expectedVersion);

  /**
   * Removes the entity.
   *
   * @return whether it existed
   * @throws FencedException if this store's master no longer leads
   */
  boolean delete(String collection, String id);

  /** {@link #put(String, String, byte[])} of UTF-8 text, such as JSON. */
  default int put(String collection, String id, String text) {
    return put(collection, id, text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #putIfVersion(String, String, byte[], int)} of UTF-8 text, such as JSON. */
  default int putIfVersion(String collection, String id, String text, int expectedVersion) {
    return putIfVersion(collection, id, text.getBytes(StandardCharsets.UTF_8), expectedVersion);
  }
}
