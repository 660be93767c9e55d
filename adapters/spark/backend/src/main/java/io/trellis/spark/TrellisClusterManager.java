package io.trellis.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.apache.spark.scheduler.SchedulerBackend;
import org.apache.spark.scheduler.TaskScheduler;
import org.apache.spark.scheduler.TaskSchedulerImpl;

/**
 * Spark's entry point for {@code trellis://} master URLs, found through
 * {@code META-INF/services/org.apache.spark.scheduler.ExternalClusterManager}.
 */
public final class TrellisClusterManager implements ExternalClusterManager {
  @Override
  public boolean canCreate(String masterUrl) {
    return MasterUrl.matches(masterUrl);
  }

  @Override
  public TaskScheduler createTaskScheduler(SparkContext sc, String masterUrl) {
    return new TaskSchedulerImpl(sc);
  }

  @Override
  public SchedulerBackend createSchedulerBackend(SparkContext sc, String masterUrl, TaskScheduler scheduler) {
    BackendSettings settings = BackendSettings.from(sc.conf(), masterUrl);
    return new TrellisSchedulerBackend((TaskSchedulerImpl) scheduler, sc, settings);
  }

  @Override
  public void initialize(TaskScheduler scheduler, SchedulerBackend backend) {
    ((TaskSchedulerImpl) scheduler).initialize(backend);
  }
}
