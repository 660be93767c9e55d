package io.trellis.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The members of a ZooKeeper ensemble as {@code trellis zookeeper --ensemble} names them:
 * {@code HOST:PEER:ELECTION:CLIENT,...}, member N being the N-th entry (1-based).
 *
 * @param members the entries in order; member {@code i + 1} is {@code members.get(i)}
 */
record ZooKeeperEnsemble(List<Member> members) {
  /** ZooKeeper's own ids are 1 to 255 here (its limit is higher, but no sane ensemble is). */
  static final int MAX_MEMBERS = 255;

  /**
   * One member's addresses.
   *
   * @param host the address other members and clients reach it at, and that it binds
   * @param peerPort followers' connections to the leader
   * @param electionPort leader election
   * @param clientPort clients
   */
  record Member(String host, int peerPort, int electionPort, int clientPort) {
    /** {@code host:peer:election} as a ZooKeeper {@code server.N} line wants it. */
    String serverLine() {
      return host + ":" + peerPort + ":" + electionPort;
    }

    String clientAddress() {
      return host + ":" + clientPort;
    }
  }

  ZooKeeperEnsemble {
    members = List.copyOf(members);
  }

  /** Member {@code id} (1-based). */
  Member member(int id) {
    if (id < 1 || id > members.size()) {
      throw new IllegalArgumentException("--id " + id + " is not a member of the ensemble: give 1 to " + members.size()
          + ", the position of this server's entry in --ensemble");
    }
    return members.get(id - 1);
  }

  /** The clients' connection string, {@code h1:c1,h2:c2,...}. */
  String connectString() {
    return String.join(",", members.stream().map(Member::clientAddress).toList());
  }

  /**
   * Parses {@code HOST:PEER:ELECTION:CLIENT,...}.
   *
   * @throws IllegalArgumentException naming the bad entry and what was expected
   */
  static ZooKeeperEnsemble parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("--ensemble is empty: expected HOST:PEER:ELECTION:CLIENT for every member,"
          + " separated by commas");
    }
    String[] entries = spec.split(",", -1);
    if (entries.length > MAX_MEMBERS) {
      throw new IllegalArgumentException("--ensemble names " + entries.length + " members; at most " + MAX_MEMBERS);
    }
    List<Member> members = new ArrayList<>();
    Set<String> addresses = new HashSet<>();
    for (int i = 0; i < entries.length; i++) {
      Member m = member(i + 1, entries[i].trim());
      for (int port : new int[] {m.peerPort(), m.electionPort(), m.clientPort()}) {
        if (!addresses.add(m.host() + ":" + port)) {
          throw new IllegalArgumentException("--ensemble uses " + m.host() + ":" + port + " twice (member " + (i + 1)
              + ", '" + entries[i].trim() + "'): every member needs its own peer, election and client ports");
        }
      }
      members.add(m);
    }
    return new ZooKeeperEnsemble(members);
  }

  private static Member member(int id, String entry) {
    String[] parts = entry.split(":", -1);
    if (parts.length != 4 || parts[0].isBlank()) {
      throw new IllegalArgumentException("--ensemble member " + id + " '" + abbreviate(entry) + "' is not"
          + " HOST:PEER:ELECTION:CLIENT (e.g. zk1.example.com:2888:3888:2181)");
    }
    String host = parts[0].trim();
    if (!host.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}")) {
      throw new IllegalArgumentException("--ensemble member " + id + " host '" + abbreviate(host) + "' is not a host"
          + " name or IPv4 address");
    }
    return new Member(host, port(id, "peer", parts[1]), port(id, "election", parts[2]), port(id, "client", parts[3]));
  }

  private static int port(int id, String what, String text) {
    try {
      int port = Integer.parseInt(text.trim());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("--ensemble member " + id + " " + what + " port '" + abbreviate(text)
        + "' is not a port (1 to 65535)");
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
