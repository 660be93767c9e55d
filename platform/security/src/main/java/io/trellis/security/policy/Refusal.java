package io.trellis.security.policy;

/**
 * A field refused by the container policy: 403 when the caller lacks a grant it needs, 422 when
 * the value is refused whoever asks.
 *
 * @param path the field, as a JSON path
 * @param message what was refused and what would allow it
 */
public record Refusal(int status, String path, String message) {}
