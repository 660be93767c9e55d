package io.trellis.master.state;

class InMemoryStateStoreTest extends StateStoreContract {
  @Override
  StateStore store() {
    return new InMemoryStateStore();
  }
}
