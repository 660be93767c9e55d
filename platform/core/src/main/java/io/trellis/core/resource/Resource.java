package io.trellis.core.resource;

import io.trellis.core.role.Role;

/**
 * One named resource, either a scalar in thousandths ({@code cpus:0.5} is 500) or a set of
 * ranges ({@code ports:[31000-32000]}), unreserved ({@code role = "*"}) or statically reserved
 * to a role.
 *
 * @param name resource name such as {@code cpus}, {@code mem}, {@code ports}
 * @param role {@link Role#ANY} for unreserved, else the role it is reserved to
 * @param millis the scalar amount in thousandths, 0 for a range resource
 * @param ranges the range set, {@code null} for a scalar resource
 */
public record Resource(String name, String role, long millis, Ranges ranges) {
  public Resource {
    if (name == null || !Resources.isValidName(name)) {
      throw new InvalidResourceException("invalid resource name '" + name
          + "': use letters, digits, '_', '-' and '.'");
    }
    Role.validate(role);
    if (ranges == null && millis < 0) {
      throw new InvalidResourceException("negative amount of " + name + ": " + Resources.formatMillis(millis));
    }
    if (ranges != null && millis != 0) {
      throw new InvalidResourceException("resource " + name + " cannot be both scalar and ranges");
    }
  }

  public static Resource scalar(String name, String role, double amount) {
    return new Resource(name, role, Resources.toMillis(name, amount), null);
  }

  public static Resource ranges(String name, String role, Ranges ranges) {
    return new Resource(name, role, 0, ranges);
  }

  public boolean isScalar() {
    return ranges == null;
  }

  public boolean isReserved() {
    return !Role.ANY.equals(role);
  }

  /** The scalar amount as a decimal number. */
  public double amount() {
    return millis / 1000.0;
  }

  boolean isEmpty() {
    return ranges == null ? millis == 0 : ranges.isEmpty();
  }

  int compareKey(Resource other) {
    int c = name.compareTo(other.name);
    return c != 0 ? c : role.compareTo(other.role);
  }

  @Override
  public String toString() {
    String head = isReserved() ? name + "(" + role + ")" : name;
    return head + ":" + (ranges == null ? Resources.formatMillis(millis) : ranges.toString());
  }
}
