package io.trellis.plugin;

import java.nio.file.Path;

/**
 * What a hosted component of {@code trellis local} gets.
 *
 * @param zk the ZooKeeper spec of the cluster, {@code zk://host:port/trellis}; frameworks find
 *     the leading master through it and keep their own state under their own path
 * @param master the leading master's address, {@code host:port}
 * @param dataDir a directory of the local cluster the component may use ({@code <data>/<name>})
 * @param bindHost the address servers bind to ({@code 127.0.0.1})
 */
public record LocalContext(String zk, String master, Path dataDir, String bindHost) {}
