package io.trellis.faults.rig;

/**
 * One "host" of the rig: a network namespace with its own address on the rig's bridge.
 *
 * @param name the host's name in the rig ({@code zk1}, {@code master2}, {@code agent3})
 * @param namespace the network namespace ({@code tf-zk1})
 * @param address its IPv4 address on the bridge
 * @param veth the root namespace's end of its link to the bridge; down means partitioned
 */
public record Host(String name, String namespace, String address, String veth) {
  public Host {
    if (!name.matches("[a-z][a-z0-9]{0,9}")) {
      throw new IllegalArgumentException("host name '" + name + "': up to 10 lower-case letters and digits");
    }
  }
}
