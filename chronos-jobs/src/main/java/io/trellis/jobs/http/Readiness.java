package io.trellis.jobs.http;

/**
 * What {@code GET /v1/scheduler/leader} reports, without a ZooKeeper round trip, so tests and
 * operators can wait on it.
 *
 * @param leader the leading instance's {@code host:port}, when known
 * @param leading whether this instance leads
 * @param recovered whether this instance leads, is subscribed to the master and has every
 *     unfinished run of the last leader reconciled
 * @param zookeeper this instance's ZooKeeper connection: CONNECTED, SUSPENDED, LOST, ...
 */
public record Readiness(String leader, boolean leading, boolean recovered, String zookeeper) {}
