package io.trellis.allocator;

import io.trellis.core.resource.Resource;
import io.trellis.core.resource.Resources;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps scalar resource names to the slots of the allocator's flat arrays. {@code cpus}, {@code
 * mem}, {@code disk} and {@code gpus} always hold slots 0 to 3; other names take the next free
 * slot when first seen.
 */
final class Kinds {
  /** Slots per row of every flat array; the number of distinct scalar names a cluster may use. */
  static final int STRIDE = 16;
  static final int CPUS = 0;
  static final int MEM = 1;

  private final String[] names = new String[STRIDE];
  private final Map<String, Integer> index = new HashMap<>();
  private int count;

  Kinds() {
    register(Resources.CPUS);
    register(Resources.MEM);
    register(Resources.DISK);
    register(Resources.GPUS);
  }

  int count() {
    return count;
  }

  String name(int kind) {
    return names[kind];
  }

  /** The names by slot; the array is live, do not modify. */
  String[] names() {
    return names;
  }

  int indexOf(String name) {
    Integer k = index.get(name);
    return k == null ? -1 : k;
  }

  int register(String name) {
    Integer k = index.get(name);
    if (k != null) {
      return k;
    }
    if (count == STRIDE) {
      throw new IllegalArgumentException("too many distinct scalar resource names (at most " + STRIDE
          + "): cannot add '" + name + "'");
    }
    names[count] = name;
    index.put(name, count);
    return count++;
  }

  /** Registers every scalar name in {@code r}, so later conversions cannot fail half-way. */
  void registerAll(Resources r) {
    for (Resource e : r.entries()) {
      if (e.isScalar()) {
        register(e.name());
      }
    }
  }

  /** Writes the scalars of {@code r} (every role, or unreserved only) into {@code out[offset..]}. */
  void toArray(Resources r, boolean unreservedOnly, long[] out, int offset) {
    Arrays.fill(out, offset, offset + STRIDE, 0L);
    for (int i = 0, n = r.size(); i < n; i++) {
      Resource e = r.get(i);
      if (e.isScalar() && (!unreservedOnly || !e.isReserved())) {
        out[offset + register(e.name())] += e.millis();
      }
    }
  }

  long[] toArray(Resources r) {
    long[] out = new long[STRIDE];
    toArray(r, false, out, 0);
    return out;
  }

  /** Renders {@code millis[offset..]} as unreserved resources. */
  Resources toResources(long[] millis, int offset) {
    return Resources.fromMillis(names, millis, offset, count, null, null);
  }
}
