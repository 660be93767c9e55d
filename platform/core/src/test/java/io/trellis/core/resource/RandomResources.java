package io.trellis.core.resource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of small {@link Ranges} and {@link Resources} values for property tests, and
 * the brute-force {@link BitSet} model they are checked against. Values stay within
 * {@code 0..MAX_VALUE} so that the model is cheap and collisions between operands are common.
 */
final class RandomResources {
  static final int MAX_VALUE = 200;
  static final String[] SCALAR_NAMES = {"cpus", "mem", "disk", "gpus"};
  static final String[] ROLES = {"*", "spark", "analytics", "analytics/spark"};

  private final Random random;

  RandomResources(long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  /** Zero to five intervals of up to 30 values each, often touching or overlapping. */
  Ranges ranges() {
    int intervals = random.nextInt(6);
    long[] pairs = new long[2 * intervals];
    for (int i = 0; i < intervals; i++) {
      long begin = random.nextInt(MAX_VALUE + 1);
      pairs[2 * i] = begin;
      pairs[2 * i + 1] = Math.min(MAX_VALUE, begin + random.nextInt(30));
    }
    return Ranges.ofPairs(pairs);
  }

  /** A bag with random scalars and ports over a few names and roles, built from shuffled pieces. */
  Resources resources() {
    List<Resource> pieces = new ArrayList<>();
    for (String role : ROLES) {
      for (String name : SCALAR_NAMES) {
        if (random.nextInt(3) == 0) {
          long millis = random.nextBoolean() ? 1000L * random.nextInt(20) : random.nextInt(20_000);
          pieces.add(random.nextBoolean()
              ? new Resource(name, role, millis, null)
              : Resource.scalar(name, role, millis / 1000.0));
        }
      }
      if (random.nextInt(3) == 0) {
        pieces.add(Resource.ranges(Resources.PORTS, role, ranges()));
      }
    }
    Collections.shuffle(pieces, random);
    return Resources.of(pieces);
  }

  /** A random part of {@code whole}: each entry kept, dropped or cut down. */
  Resources partOf(Resources whole) {
    List<Resource> pieces = new ArrayList<>();
    for (Resource r : whole.entries()) {
      switch (random.nextInt(3)) {
        case 0 -> pieces.add(r);
        case 1 -> { }
        default -> pieces.add(r.isScalar()
            ? new Resource(r.name(), r.role(), (long) (random.nextDouble() * r.millis()), null)
            : Resource.ranges(r.name(), r.role(), r.ranges().minus(ranges())));
      }
    }
    return Resources.of(pieces);
  }

  /** {@code other} with every port that {@code base} holds under the same role removed. */
  static Resources withoutPortsOf(Resources other, Resources base) {
    List<Resource> pieces = new ArrayList<>();
    for (Resource r : other.entries()) {
      pieces.add(r.isScalar() ? r
          : Resource.ranges(r.name(), r.role(), r.ranges().minus(base.reservedTo(r.role()).ranges(r.name()))));
    }
    return Resources.of(pieces);
  }

  static BitSet bits(Ranges r) {
    BitSet bits = new BitSet();
    for (int i = 0; i < r.intervalCount(); i++) {
      bits.set((int) r.begin(i), (int) r.end(i) + 1);
    }
    return bits;
  }

  /** Builds ranges value by value from the model, the slowest and most obviously right way. */
  static Ranges fromBits(BitSet bits) {
    Ranges r = Ranges.empty();
    for (int v = bits.nextSetBit(0); v >= 0; v = bits.nextSetBit(v + 1)) {
      r = r.plus(Ranges.of(v, v));
    }
    return r;
  }
}
