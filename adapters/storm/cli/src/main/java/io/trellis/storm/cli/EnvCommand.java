package io.trellis.storm.cli;

import io.trellis.client.discovery.ZkAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis storm env}: the {@code storm.yaml} a stock {@code storm} command needs for this Nimbus. */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = "Print the storm.yaml that lets Storm's own command line talk to this Nimbus.")
final class EnvCommand implements Callable<Integer> {
  @Option(names = "--nimbus", description = "Nimbus host:port (default: $TRELLIS_STORM_NIMBUS or 127.0.0.1:6627)")
  String nimbus = StormCommand.defaultNimbus();

  @Option(names = "--zk", description = "The cluster's ZooKeeper (default: $TRELLIS_ZK or zk://127.0.0.1:2181/trellis)")
  String zk = NimbusCommand.env("TRELLIS_ZK", "zk://127.0.0.1:2181/trellis");

  @Option(names = "--storm-root", defaultValue = "/trellis-storm", description = "Storm's root in ZooKeeper (default: ${DEFAULT-VALUE})")
  String stormRoot;

  @Override
  public Integer call() {
    int colon = nimbus.lastIndexOf(':');
    if (colon <= 0 || !nimbus.substring(colon + 1).matches("[0-9]{1,5}")) {
      System.err.println("trellis storm env: --nimbus must be host:port, not '" + nimbus + "'");
      return 2;
    }
    ZkAddress address;
    try {
      address = ZkAddress.parse(zk);
    } catch (IllegalArgumentException e) {
      System.err.println("trellis storm env: " + e.getMessage());
      return 2;
    }
    List<String> hosts = new ArrayList<>();
    String port = "2181";
    for (String hp : address.connectString().split(",")) {
      int c = hp.lastIndexOf(':');
      hosts.add("\"" + (c < 0 ? hp : hp.substring(0, c)) + "\"");
      port = c < 0 ? port : hp.substring(c + 1);
    }
    System.out.println("# storm.yaml for Storm's command line against Nimbus on Trellis");
    System.out.println("nimbus.seeds: [\"" + nimbus.substring(0, colon) + "\"]");
    System.out.println("nimbus.thrift.port: " + nimbus.substring(colon + 1));
    System.out.println("storm.zookeeper.servers: [" + String.join(", ", hosts) + "]");
    System.out.println("storm.zookeeper.port: " + port);
    System.out.println("storm.zookeeper.root: \"" + stormRoot + "\"");
    return 0;
  }
}
