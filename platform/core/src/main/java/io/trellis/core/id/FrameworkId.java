package io.trellis.core.id;

/** Identifies a framework by an opaque, non-blank string. */
public record FrameworkId(String value) implements Comparable<FrameworkId> {
  public FrameworkId {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("FrameworkId must not be blank");
    }
  }

  public static FrameworkId of(String value) {
    return new FrameworkId(value);
  }

  @Override
  public int compareTo(FrameworkId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
