package io.trellis.core.id;

/** Identifies an offer by an opaque, non-blank string. */
public record OfferId(String value) implements Comparable<OfferId> {
  public OfferId {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("OfferId must not be blank");
    }
  }

  public static OfferId of(String value) {
    return new OfferId(value);
  }

  @Override
  public int compareTo(OfferId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
