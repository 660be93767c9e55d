package io.trellis.core.resource;

import io.trellis.core.role.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An immutable bag of resources: scalars ({@code cpus}, {@code mem}, {@code disk}, {@code gpus},
 * any other name) and ranges ({@code ports}), each unreserved or reserved to a role.
 *
 * <p>Scalars are fixed-point with three decimals, as in Mesos, so sums and differences are exact.
 * The text form is Mesos' {@code --resources} syntax: {@code cpus:4;mem:1024;ports:[31000-32000]}
 * with {@code cpus(spark):2} for a static reservation to the role {@code spark}.
 */
public final class Resources {
  public static final String CPUS = "cpus";
  public static final String MEM = "mem";
  public static final String DISK = "disk";
  public static final String GPUS = "gpus";
  public static final String PORTS = "ports";

  private static final Resources EMPTY = new Resources(new Resource[0]);

  /** Sorted by (name, role), one entry per key, never an empty entry. */
  private final Resource[] entries;

  private Resources(Resource[] entries) {
    this.entries = entries;
  }

  public static Resources empty() {
    return EMPTY;
  }

  /** An unreserved scalar. */
  public static Resources scalar(String name, double amount) {
    return of(List.of(Resource.scalar(name, Role.ANY, amount)));
  }

  /** Resources from entries in any order; entries with the same name and role are summed. */
  public static Resources of(List<Resource> resources) {
    Resources sum = EMPTY;
    for (Resource r : resources) {
      sum = sum.plus(new Resources(r.isEmpty() ? new Resource[0] : new Resource[] {r}));
    }
    sum.checkConsistentKinds();
    return sum;
  }

  /** A name is either a scalar or ranges, whatever role holds it. */
  private void checkConsistentKinds() {
    for (int i = 1; i < entries.length; i++) {
      Resource a = entries[i - 1];
      Resource b = entries[i];
      if (a.name().equals(b.name()) && a.isScalar() != b.isScalar()) {
        throw new InvalidResourceException("resource " + a.name()
            + " is used both as a scalar and as ranges: '" + a + "' and '" + b + "'");
      }
    }
  }

  /**
   * Builds unreserved resources from scalar amounts in thousandths indexed like {@code names}
   * plus optional ranges; used on hot paths that keep resources in flat arrays.
   */
  public static Resources fromMillis(String[] names, long[] millis, int offset, int count,
      String rangeName, Ranges ranges) {
    Resource[] out = new Resource[count + 1];
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (millis[offset + i] != 0) {
        out[n++] = new Resource(names[i], Role.ANY, millis[offset + i], null);
      }
    }
    if (ranges != null && !ranges.isEmpty()) {
      out[n++] = new Resource(rangeName, Role.ANY, 0, ranges);
    }
    Resource[] sorted = Arrays.copyOf(out, n);
    Arrays.sort(sorted, Resource::compareKey);
    return new Resources(sorted);
  }

  /**
   * Parses the Mesos text form, e.g. {@code cpus:4;mem:1024;disk(spark):100;ports:[31000-32000]}.
   *
   * @throws InvalidResourceException naming the bad item
   */
  public static Resources parse(String text) {
    if (text == null) {
      throw new InvalidResourceException("resources text is missing");
    }
    List<Resource> items = new ArrayList<>();
    for (String raw : text.split(";")) {
      String item = raw.trim();
      if (item.isEmpty()) {
        continue;
      }
      int colon = item.indexOf(':');
      if (colon <= 0) {
        throw new InvalidResourceException("invalid resource '" + item + "': expected name:value");
      }
      String head = item.substring(0, colon).trim();
      String value = item.substring(colon + 1).trim();
      String name = head;
      String role = Role.ANY;
      int paren = head.indexOf('(');
      if (paren >= 0) {
        if (!head.endsWith(")")) {
          throw new InvalidResourceException("invalid resource '" + item + "': expected name(role):value");
        }
        name = head.substring(0, paren).trim();
        role = head.substring(paren + 1, head.length() - 1).trim();
        try {
          Role.validate(role);
        } catch (IllegalArgumentException e) {
          throw new InvalidResourceException("invalid resource '" + item + "': " + e.getMessage());
        }
      }
      if (!isValidName(name)) {
        throw new InvalidResourceException("invalid resource name '" + name + "' in '" + item + "'");
      }
      if (value.startsWith("[")) {
        items.add(Resource.ranges(name, role, Ranges.parse(value)));
      } else if (value.startsWith("{")) {
        throw new InvalidResourceException("set resources are not supported: '" + item + "'");
      } else {
        double amount;
        try {
          amount = Double.parseDouble(value);
        } catch (NumberFormatException e) {
          throw new InvalidResourceException("invalid amount '" + value + "' for " + name
              + ": expected a number such as 0.5 or [1-2] for ranges");
        }
        items.add(Resource.scalar(name, role, amount));
      }
    }
    return of(items);
  }

  /** Names already checked; resource names are few, and values are built on hot paths. */
  private static final Set<String> VALID_NAMES = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static boolean isValidName(String name) {
    if (VALID_NAMES.contains(name)) {
      return true;
    }
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
        return false;
      }
    }
    if (VALID_NAMES.size() < 1024) {
      VALID_NAMES.add(name);
    }
    return true;
  }

  static long toMillis(String name, double amount) {
    if (Double.isNaN(amount) || Double.isInfinite(amount) || amount < 0) {
      throw new InvalidResourceException("invalid amount " + amount + " for " + name
          + ": expected a finite number >= 0");
    }
    if (amount > Long.MAX_VALUE / 1000.0) {
      throw new InvalidResourceException("amount " + amount + " for " + name + " is too large");
    }
    return Math.round(amount * 1000.0);
  }

  static String formatMillis(long millis) {
    if (millis % 1000 == 0) {
      return Long.toString(millis / 1000);
    }
    String s = java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    return s;
  }

  public boolean isEmpty() {
    return entries.length == 0;
  }

  /** The number of entries (distinct name and role pairs). */
  public int size() {
    return entries.length;
  }

  /** Entry {@code i} in (name, role) order; with {@link #size} it walks entries without allocating. */
  public Resource get(int i) {
    return entries[i];
  }

  public List<Resource> entries() {
    return Collections.unmodifiableList(Arrays.asList(entries));
  }

  /** Resource names present, in sorted order. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (Resource r : entries) {
      names.add(r.name());
    }
    return names;
  }

  /** Roles that hold reservations here. */
  public Set<String> reservationRoles() {
    Set<String> roles = new LinkedHashSet<>();
    for (Resource r : entries) {
      if (r.isReserved()) {
        roles.add(r.role());
      }
    }
    return roles;
  }

  /** Total of a scalar across all roles, in thousandths. */
  public long millis(String name) {
    long sum = 0;
    for (Resource r : entries) {
      if (r.isScalar() && r.name().equals(name)) {
        sum += r.millis();
      }
    }
    return sum;
  }

  /** Total of a scalar across all roles, as a decimal number. */
  public double scalar(String name) {
    return millis(name) / 1000.0;
  }

  /** The union of a range resource across all roles. */
  public Ranges ranges(String name) {
    Ranges sum = Ranges.empty();
    for (Resource r : entries) {
      if (!r.isScalar() && r.name().equals(name)) {
        sum = sum.plus(r.ranges());
      }
    }
    return sum;
  }

  public Resources filter(Predicate<Resource> keep) {
    Resource[] out = new Resource[entries.length];
    int n = 0;
    for (Resource r : entries) {
      if (keep.test(r)) {
        out[n++] = r;
      }
    }
    return n == entries.length ? this : new Resources(Arrays.copyOf(out, n));
  }

  public Resources unreserved() {
    return filter(r -> !r.isReserved());
  }

  public Resources reserved() {
    return filter(Resource::isReserved);
  }

  public Resources reservedTo(String role) {
    return filter(r -> r.role().equals(role));
  }

  /** Only the scalar resources. */
  public Resources scalars() {
    return filter(Resource::isScalar);
  }

  /** The same amounts with every reservation dropped (all unreserved). */
  public Resources flatten() {
    List<Resource> flat = new ArrayList<>(entries.length);
    for (Resource r : entries) {
      flat.add(new Resource(r.name(), Role.ANY, r.millis(), r.ranges()));
    }
    return of(flat);
  }

  public Resources plus(Resources other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Resource[] out = new Resource[entries.length + other.entries.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < entries.length || j < other.entries.length) {
      int c = i >= entries.length ? 1 : j >= other.entries.length ? -1
          : entries[i].compareKey(other.entries[j]);
      if (c < 0) {
        out[n++] = entries[i++];
      } else if (c > 0) {
        out[n++] = other.entries[j++];
      } else {
        Resource a = entries[i++];
        Resource b = other.entries[j++];
        checkSameKind(a, b);
        out[n++] = a.isScalar()
            ? new Resource(a.name(), a.role(), addAmounts(a, b), null)
            : new Resource(a.name(), a.role(), 0, a.ranges().plus(b.ranges()));
      }
    }
    return new Resources(Arrays.copyOf(out, n));
  }

  /**
   * This bag without {@code other}.
   *
   * @throws InvalidResourceException if {@code other} is not contained
   */
  public Resources minus(Resources other) {
    if (!contains(other)) {
      throw new InvalidResourceException("cannot subtract " + other + " from " + this);
    }
    if (other.isEmpty()) {
      return this;
    }
    Resource[] out = new Resource[entries.length];
    int n = 0;
    int j = 0;
    for (Resource a : entries) {
      while (j < other.entries.length && other.entries[j].compareKey(a) < 0) {
        j++;
      }
      if (j < other.entries.length && other.entries[j].compareKey(a) == 0) {
        Resource b = other.entries[j++];
        Resource left = a.isScalar()
            ? new Resource(a.name(), a.role(), a.millis() - b.millis(), null)
            : new Resource(a.name(), a.role(), 0, a.ranges().minus(b.ranges()));
        if (!left.isEmpty()) {
          out[n++] = left;
        }
      } else {
        out[n++] = a;
      }
    }
    return new Resources(Arrays.copyOf(out, n));
  }

  /** Whether every resource of {@code other} (same name and role) is here in at least that amount. */
  public boolean contains(Resources other) {
    int i = 0;
    for (Resource b : other.entries) {
      while (i < entries.length && entries[i].compareKey(b) < 0) {
        i++;
      }
      if (i >= entries.length || entries[i].compareKey(b) != 0) {
        return false;
      }
      Resource a = entries[i];
      if (a.isScalar() != b.isScalar()) {
        return false;
      }
      if (a.isScalar() ? a.millis() < b.millis() : !a.ranges().contains(b.ranges())) {
        return false;
      }
    }
    return true;
  }

  private static long addAmounts(Resource a, Resource b) {
    try {
      return Math.addExact(a.millis(), b.millis());
    } catch (ArithmeticException e) {
      throw new InvalidResourceException("sum of " + a + " and " + b + " is too large");
    }
  }

  private static void checkSameKind(Resource a, Resource b) {
    if (a.isScalar() != b.isScalar()) {
      throw new InvalidResourceException("resource " + a.name() + " is used both as a scalar and as ranges");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resources r && Arrays.equals(entries, r.entries);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(entries);
  }

  /** The canonical Mesos text form; {@link #parse} reads it back to an equal value. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Resource r : entries) {
      if (sb.length() > 0) {
        sb.append(';');
      }
      sb.append(r);
    }
    return sb.toString();
  }
}
