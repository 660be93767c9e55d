package io.trellis.hadoop.profile;

/**
 * A NodeManager size: the Trellis slice its task takes ({@code cpus}, {@code memMb}). YARN gets
 * that slice minus the NodeManager's own JVM ({@code overheadMb}) as the node's capacity.
 */
public record Profile(String name, double cpus, int memMb, int overheadMb) {
  /** Ports an NM takes from its offer: RPC, localizer, web UI, shuffle. */
  public static final int PORTS = 4;

  public Profile {
    if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException("profile name '" + name
          + "' must be 1-32 lower-case letters, digits, '-' or '_'");
    }
    if (!(cpus >= 0.1 && cpus <= 1024)) {
      throw new IllegalArgumentException("profile " + name + ": cpus " + cpus + " must be between 0.1 and 1024");
    }
    if (memMb - overheadMb < 256 || memMb > 4 * 1024 * 1024) {
      throw new IllegalArgumentException("profile " + name + ": mem " + memMb + " MB must leave at least 256 MB for"
          + " YARN after the NodeManager's " + overheadMb + " MB, and be at most 4 TiB");
    }
  }

  public int yarnMemMb() {
    return memMb - overheadMb;
  }

  public int yarnVcores() {
    return Math.max(1, (int) Math.floor(cpus));
  }

  /** The scalar resources of the NM's task, in the Mesos text form (ports come from the offer). */
  public String scalars() {
    return "cpus:" + cpus + ";mem:" + memMb;
  }

  public String describe() {
    return name + " (" + scalars() + ", " + PORTS + " ports; YARN gets " + yarnVcores() + " vcores, " + yarnMemMb()
        + " MB)";
  }
}
