package io.trellis.jobs.store;

/** The job store contract in memory. */
class MemoryJobStoreTest extends JobStoreContract {
  @Override
  JobStore store() {
    return new MemoryJobStore();
  }
}
