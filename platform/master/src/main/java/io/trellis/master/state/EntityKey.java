package io.trellis.master.state;

import java.util.Objects;

/** The address of one entity, validated the same way by every store. */
record EntityKey(String collection, String id) {
  EntityKey {
    checkCollection(collection);
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("empty id in collection " + collection + "; every entity needs an id");
    }
  }

  static String checkCollection(String collection) {
    if (collection == null || collection.isEmpty()) {
      throw new IllegalArgumentException("empty collection name; expected a name such as \"agents\"");
    }
    return collection;
  }

  /** Refuses a value larger than a znode can hold, naming the entity. */
  void checkValue(byte[] value) {
    Objects.requireNonNull(value, () -> "null value for " + this);
    if (value.length > StateStore.MAX_VALUE_BYTES) {
      throw new EntityTooLargeException("cannot store " + this + ": its value of " + value.length
          + " bytes exceeds the limit of " + StateStore.MAX_VALUE_BYTES
          + " bytes; split it into smaller entities");
    }
  }

  static void checkExpectedVersion(int expectedVersion) {
    if (expectedVersion < StateStore.ABSENT) {
      throw new IllegalArgumentException("bad expected version " + expectedVersion
          + ": expected a version (0 or more) or StateStore.ABSENT (-1)");
    }
  }

  VersionConflictException conflict(int expectedVersion, String found) {
    String expected = expectedVersion == StateStore.ABSENT ? "it to be absent" : "version " + expectedVersion;
    return new VersionConflictException("version conflict on " + this + ": expected " + expected
        + " but " + found + "; read it again and retry");
  }

  @Override
  public String toString() {
    return collection + " '" + id + "'";
  }
}
