package io.trellis.faults.rig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rig's network: one bridge in the root namespace, and per host a network namespace joined to
 * it by a veth pair. Everything it makes carries the rig's prefix, and only names with that prefix
 * are ever removed, so other users of the machine's namespaces are left alone.
 *
 * <p>Partitions are real: {@link #isolate} takes the host's link down (nothing in or out), {@link
 * #block} drops the packets between two hosts inside the first one's namespace ({@code iptables}).
 */
public final class Network {
  private final String prefix;
  private final String subnet;
  private final Map<String, Host> hosts = new LinkedHashMap<>();

  /**
   * @param prefix the prefix of every name this network makes ({@code tf-}); at most 4 characters
   * @param subnet the first three octets of its /24 ({@code 10.77.0}); the bridge takes {@code .1}
   */
  Network(String prefix, String subnet) {
    if (!prefix.matches("[a-z]{1,3}-")) {
      throw new IllegalArgumentException("network prefix '" + prefix + "': 1 to 3 lower-case letters and '-'");
    }
    if (!subnet.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
      throw new IllegalArgumentException("subnet '" + subnet + "': the first three octets of a /24, e.g. 10.77.0");
    }
    this.prefix = prefix;
    this.subnet = subnet;
  }

  String bridge() {
    return prefix + "br";
  }

  /** Removes what a previous run with this prefix left behind (its processes, namespaces, bridge and rule). */
  void removeLeftovers() {
    for (String ns : namespaces()) {
      killAll(ns);
      Shell.attempt("ip", "netns", "del", ns);
    }
    Shell.attempt("ip", "link", "del", bridge());
    while (Shell.attempt(forwardRule("-D")).status() == 0) {
      // one rule per run; a killed run may have left more than one
    }
  }

  /** Makes the bridge and lets its hosts reach each other through the root namespace's filter. */
  void create() {
    Shell.run("ip", "link", "add", bridge(), "type", "bridge");
    Shell.run("ip", "addr", "add", subnet + ".1/24", "dev", bridge());
    Shell.run("ip", "link", "set", bridge(), "up");
    Shell.run(forwardRule("-I"));
  }

  private String[] forwardRule(String op) {
    return new String[] {"iptables", op, "FORWARD", "-i", bridge(), "-o", bridge(), "-m", "comment", "--comment",
        prefix + "rig", "-j", "ACCEPT"};
  }

  /** A new host at {@code subnet.octet}. */
  Host add(String name, int octet) {
    if (octet < 2 || octet > 254) {
      throw new IllegalArgumentException("host " + name + ": octet " + octet + " is not in 2..254");
    }
    Host host = new Host(name, prefix + name, subnet + "." + octet, prefix + "v" + name);
    Shell.run("ip", "netns", "add", host.namespace());
    Shell.run("ip", "link", "add", host.veth(), "type", "veth", "peer", "name", "eth0", "netns", host.namespace());
    Shell.run("ip", "link", "set", host.veth(), "master", bridge(), "up");
    inside(host, "ip", "addr", "add", host.address() + "/24", "dev", "eth0");
    inside(host, "ip", "link", "set", "eth0", "up");
    inside(host, "ip", "link", "set", "lo", "up");
    hosts.put(name, host);
    return host;
  }

  public Host host(String name) {
    Host h = hosts.get(name);
    if (h == null) {
      throw new IllegalArgumentException("no host '" + name + "' in the rig; hosts: " + hosts.keySet());
    }
    return h;
  }

  public List<Host> hosts() {
    return List.copyOf(hosts.values());
  }

  /** Cuts every link of {@code host}: its veth goes down, packets in and out are lost. */
  public void isolate(Host host) {
    Shell.run("ip", "link", "set", host.veth(), "down");
  }

  /** Drops, inside {@code from}'s namespace, every packet between it and {@code to}. */
  public void block(Host from, Host to) {
    inside(from, "iptables", "-A", "OUTPUT", "-d", to.address(), "-j", "DROP");
    inside(from, "iptables", "-A", "INPUT", "-s", to.address(), "-j", "DROP");
  }

  /** Undoes {@link #isolate} and every {@link #block} of {@code host}. */
  public void heal(Host host) {
    Shell.run("ip", "link", "set", host.veth(), "master", bridge(), "up");
    inside(host, "iptables", "-F", "INPUT");
    inside(host, "iptables", "-F", "OUTPUT");
  }

  public void healAll() {
    hosts.values().forEach(this::heal);
  }

  /** The processes running in {@code host}'s namespace. */
  List<Long> pids(Host host) {
    return pids(host.namespace());
  }

  private static List<Long> pids(String namespace) {
    List<Long> out = new ArrayList<>();
    Shell.Outcome o = Shell.attempt("ip", "netns", "pids", namespace);
    if (o.status() == 0) {
      o.output().lines().map(String::strip).filter(l -> l.matches("\\d+")).forEach(l -> out.add(Long.parseLong(l)));
    }
    return out;
  }

  /** Removes every host and the bridge; kills what still runs in the namespaces. */
  void destroy() {
    List<Host> all = new ArrayList<>(hosts.values());
    java.util.Collections.reverse(all);
    for (Host h : all) {
      killAll(h.namespace());
      Shell.attempt("ip", "netns", "del", h.namespace());
      Shell.attempt("ip", "link", "del", h.veth());
    }
    hosts.clear();
    removeLeftovers();
  }

  private static void killAll(String namespace) {
    for (long pid : pids(namespace)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private List<String> namespaces() {
    List<String> out = new ArrayList<>();
    Shell.attempt("ip", "netns", "list").output().lines()
        .map(l -> l.split("\\s+")[0])
        .filter(n -> n.startsWith(prefix) && n.length() > prefix.length())
        .forEach(out::add);
    return out;
  }

  static void inside(Host host, String... argv) {
    String[] full = new String[argv.length + 4];
    full[0] = "ip";
    full[1] = "netns";
    full[2] = "exec";
    full[3] = host.namespace();
    System.arraycopy(argv, 0, full, 4, argv.length);
    Shell.run(full);
  }
}
