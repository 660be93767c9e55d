package io.trellis.allocator;

import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Role;

/** Resources in use on an agent by a framework under a role, reported when the agent (re)joins. */
public record Allocation(FrameworkId frameworkId, String role, Resources resources) {
  public Allocation {
    Role.validate(role);
  }
}
