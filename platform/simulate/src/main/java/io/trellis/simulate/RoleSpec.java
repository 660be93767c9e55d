package io.trellis.simulate;

import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import io.trellis.core.role.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator's settings for one role, as {@code trellis simulate --roles FILE} reads them: one
 * role a row, {@code name,weight[,guarantee[,limit]]}, e.g. {@code spark,2,cpus:16;mem:65536,cpus:64}.
 */
public record RoleSpec(String name, double weight, Quota quota) {
  public static final double MAX_WEIGHT = 1e6;

  public RoleSpec {
    Role.validate(name);
    if (!(weight > 0 && weight <= MAX_WEIGHT)) {
      throw new IllegalArgumentException("weight of role " + name + " must be above 0 and at most " + MAX_WEIGHT
          + ", got " + weight);
    }
    quota = quota == null ? Quota.NONE : quota;
  }

  /** Reads a roles file; unlike a trace, any bad row refuses the whole file (it is short and hand-written). */
  public static Map<String, RoleSpec> read(Path file) {
    Map<String, RoleSpec> out = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    Skipped skipped = CsvRows.read(file, (number, f) -> {
      if (f.length < 2 || f.length > 4) {
        throw new IllegalArgumentException("expected name,weight[,guarantee[,limit]], got " + f.length + " fields");
      }
      Resources guarantee = f.length > 2 ? Resources.parse(f[2]) : Resources.empty();
      Resources limit = f.length > 3 ? Resources.parse(f[3]) : Resources.empty();
      RoleSpec spec = new RoleSpec(f[0], CsvRows.number("weight", f[1]), new Quota(guarantee, limit));
      if (out.put(spec.name(), spec) != null) {
        throw new IllegalArgumentException("role " + spec.name() + " appears twice");
      }
    });
    if (skipped.count() > 0) {
      throw new IllegalArgumentException(file + " " + skipped.firstReasons().get(0));
    }
    return out;
  }
}
