package io.trellis.allocator;

/**
 * Why a framework, under one role, is not being offered resources. Every reason names the
 * values behind it, so an operator can act on it.
 */
public record Reason(Type type, String message) {
  /** The kinds of refusal, in the order the allocator checks them. */
  public enum Type {
    /** The framework is not connected. */
    INACTIVE,
    /** The framework suppressed offers for the role. */
    SUPPRESSED,
    /** No agent is registered or every agent is in maintenance. */
    NO_AGENTS,
    /** The role's quota limit leaves no room. */
    QUOTA_LIMIT_REACHED,
    /** No agent is large enough for the framework's declared need. */
    NO_AGENT_LARGE_ENOUGH,
    /** Every agent with enough free resources holds a refuse filter from this framework. */
    FILTERED,
    /** Free resources are held back to satisfy other roles' quota guarantees. */
    QUOTA_HEADROOM,
    /** The framework itself holds the outstanding offers for what is free. */
    OFFERS_OUTSTANDING,
    /** Resources large enough exist but are allocated or offered to others with lower share. */
    FAIR_SHARE_EXHAUSTED,
    /** A gang waits behind the one incomplete gang allowed to hold resources. */
    GANG_QUEUED,
    /** A gang's placement constraints leave room for fewer members than it needs. */
    CONSTRAINTS,
    /** Too few members of a gang fit the free resources for a reason no other type names. */
    GANG_INCOMPLETE
  }

  @Override
  public String toString() {
    return type + ": " + message;
  }
}
