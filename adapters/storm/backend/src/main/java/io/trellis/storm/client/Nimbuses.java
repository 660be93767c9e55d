package io.trellis.storm.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.storm.generated.Nimbus;
import org.apache.storm.generated.TopologySummary;
import org.apache.storm.utils.NimbusClient;
import org.apache.storm.utils.Utils;

/** Storm's own client, pointed at one Nimbus ({@code host:port}). */
final class Nimbuses {
  private Nimbuses() {}

  static Map<String, Object> conf(String nimbus) {
    int colon = nimbus.lastIndexOf(':');
    if (colon <= 0 || colon == nimbus.length() - 1) {
      throw new IllegalArgumentException("--nimbus must be host:port, not '" + nimbus + "'");
    }
    int port;
    try {
      port = Integer.parseInt(nimbus.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--nimbus must be host:port, not '" + nimbus + "'");
    }
    Map<String, Object> conf = new HashMap<>(Utils.readStormConfig());
    conf.put("nimbus.seeds", List.of(nimbus.substring(0, colon)));
    conf.put("nimbus.thrift.port", port);
    conf.put("storm.nimbus.retry.times", 2);
    return conf;
  }

  static NimbusClient connect(String nimbus) {
    try {
      return NimbusClient.getConfiguredClient(conf(nimbus), 10_000);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot reach Nimbus at " + nimbus + " (" + rootMessage(e)
          + "); is 'trellis storm nimbus' running there?", e);
    }
  }

  static Optional<TopologySummary> byName(Nimbus.Iface client, String name) throws Exception {
    return client.getTopologySummaries().stream().filter(t -> t.get_name().equals(name)).findFirst();
  }

  /** The workers a topology asked for ({@code topology.workers}). */
  static int requestedWorkers(Nimbus.Iface client, String id) throws Exception {
    Map<?, ?> conf = new ObjectMapper().readValue(client.getTopologyConf(id), Map.class);
    Object w = conf.get("topology.workers");
    return w instanceof Number n ? n.intValue() : 1;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
