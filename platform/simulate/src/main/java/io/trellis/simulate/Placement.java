package io.trellis.simulate;

import io.trellis.core.resource.Resources;

/**
 * One task placed: when (milliseconds from the start of the trace), by which framework under
 * which role, on which agent, what it holds, how long it waited since its submit time, and
 * whether it was a member of a gang.
 */
public record Placement(long atMillis, String framework, String role, String agent, Resources resources,
    long waitMillis, boolean gang) {}
