package io.trellis.storm.nimbus;

import io.trellis.client.discovery.ZkAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Storm's settings that every daemon of one Storm cluster on Trellis shares: its state in the
 * cluster's ZooKeeper under its own root, and where Nimbus is. Storm's daemons read them from a
 * {@code storm.yaml} named by {@code storm.conf.file}.
 */
public final class StormConf {
  private StormConf() {}

  /** @param zk the cluster's ZooKeeper, {@code zk://h1:p,h2:p/anything} (Storm takes one port for all) */
  public static Map<String, Object> shared(String zk, String stormRoot, String nimbusHost, int nimbusPort) {
    ZkAddress address = ZkAddress.parse(zk);
    List<String> hosts = new ArrayList<>();
    int port = ZkAddress.DEFAULT_PORT;
    for (String hp : address.connectString().split(",")) {
      int colon = hp.lastIndexOf(':');
      hosts.add(colon < 0 ? hp : hp.substring(0, colon));
      if (colon >= 0) {
        port = Integer.parseInt(hp.substring(colon + 1));
      }
    }
    if (!stormRoot.startsWith("/") || stormRoot.length() < 2) {
      throw new IllegalArgumentException("the Storm root in ZooKeeper must be an absolute path such as /trellis-storm, not '"
          + stormRoot + "'");
    }
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("storm.zookeeper.servers", hosts);
    conf.put("storm.zookeeper.port", port);
    conf.put("storm.zookeeper.root", stormRoot);
    conf.put("nimbus.seeds", List.of(nimbusHost));
    conf.put("nimbus.thrift.port", nimbusPort);
    return conf;
  }

  /** Writes the settings as {@code storm.yaml} and makes this JVM's Storm read them. */
  public static Path install(Map<String, Object> conf, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("storm.yaml");
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    Files.writeString(file, new Yaml(options).dump(conf));
    System.setProperty("storm.conf.file", file.toAbsolutePath().toString());
    return file;
  }
}
