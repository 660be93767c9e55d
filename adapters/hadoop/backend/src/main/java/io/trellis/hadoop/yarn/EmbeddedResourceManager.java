package io.trellis.hadoop.yarn;

import java.util.Map;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.resourcemanager.ResourceManager;
import org.apache.hadoop.yarn.util.resource.ResourceUtils;

/** A YARN ResourceManager in this JVM, started from the settings given. */
public final class EmbeddedResourceManager implements AutoCloseable {
  private final ResourceManager rm;

  private EmbeddedResourceManager(ResourceManager rm) {
    this.rm = rm;
  }

  public static EmbeddedResourceManager start(Map<String, String> settings) {
    YarnConfiguration conf = new YarnConfiguration();
    settings.forEach(conf::set);
    // Resource types (with their minimum allocation) are read once per JVM, from the first
    // configuration that asks; make it this one.
    ResourceUtils.resetResourceTypes(conf);
    ResourceManager rm = new ResourceManager();
    rm.init(conf);
    rm.start();
    return new EmbeddedResourceManager(rm);
  }

  public YarnView view() {
    return new ResourceManagerView(rm);
  }

  @Override
  public void close() {
    rm.stop();
  }
}
