package io.trellis.core.id;

/** Identifies an agent by an opaque, non-blank string. */
public record AgentId(String value) implements Comparable<AgentId> {
  public AgentId {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("AgentId must not be blank");
    }
  }

  public static AgentId of(String value) {
    return new AgentId(value);
  }

  @Override
  public int compareTo(AgentId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
