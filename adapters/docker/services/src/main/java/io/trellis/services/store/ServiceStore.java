package io.trellis.services.store;

import io.trellis.services.app.AppDefinition;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.instance.Instance;
import java.util.List;
import java.util.Optional;

/**
 * Durable state of the services framework, one entry per entity: apps, their versions,
 * instances and deployments, and the framework id.
 */
public interface ServiceStore extends AutoCloseable {
  Optional<String> frameworkId();

  void frameworkId(String id);

  List<AppDefinition> apps();

  /** Stores the app as its current definition and as a version. */
  void putApp(AppDefinition app);

  /** Removes the app and its versions. */
  void deleteApp(String appId);

  /** Stored versions of an app, oldest first. */
  List<String> versions(String appId);

  Optional<AppDefinition> version(String appId, String version);

  List<Instance> instances();

  /** Stores new instances in one write. */
  void putInstances(List<Instance> instances);

  /** Rewrites a stored instance (such as one the framework decided to kill); nothing if it is gone. */
  void updateInstance(Instance instance);

  void deleteInstance(String taskId);

  List<Deployment> deployments();

  void putDeployment(Deployment d);

  void deleteDeployment(String id);

  @Override
  void close();
}
