package io.trellis.services.placement;

/**
 * Why an offer cannot take an instance. {@code kind} is the summary key of {@code /v2/queue}
 * ({@code InsufficientMemory}, {@code UnfulfilledConstraint}...), {@code reason} the sentence.
 */
public record Veto(String kind, String reason) {}
