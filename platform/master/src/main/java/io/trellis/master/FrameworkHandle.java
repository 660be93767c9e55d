package io.trellis.master;

/** What SUBSCRIBE returns to the HTTP layer: the framework's id and its stream's id. */
public record FrameworkHandle(String frameworkId, String streamId) {}
