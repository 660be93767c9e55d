package io.trellis.core.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.resource.InvalidResourceException;
import io.trellis.core.resource.Resources;
import org.junit.jupiter.api.Test;

class QuotaTest {

  @Test
  void keepsGuaranteeAndLimit() {
    Quota q = Quota.of("cpus:4;mem:1024", "cpus:8;mem:4096;gpus:1");

    assertEquals(Resources.parse("cpus:4;mem:1024"), q.guarantee());
    assertEquals(Resources.parse("cpus:8;mem:4096;gpus:1"), q.limit());
    assertFalse(q.isNone());
  }

  @Test
  void aGuaranteeEqualToTheLimitIsAllowed() {
    Quota q = Quota.of("cpus:2.5", "cpus:2.5");

    assertEquals(q.guarantee(), q.limit());
  }

  @Test
  void aGuaranteeAboveItsLimitIsRejectedNamingTheResource() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Quota.of("cpus:4;mem:2048", "cpus:8;mem:1024"));

    assertTrue(e.getMessage().contains("mem"), e.getMessage());
    assertFalse(e.getMessage().contains("cpus"), e.getMessage());
  }

  @Test
  void aGuaranteeOneThousandthAboveItsLimitIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Quota.of("cpus:1.001", "cpus:1"));
  }

  @Test
  void aResourceAbsentFromTheLimitIsUnlimited() {
    Quota q = Quota.of("cpus:4;gpus:8", "cpus:4");

    assertEquals(8.0, q.guarantee().scalar("gpus"));
  }

  @Test
  void aLimitWithoutGuaranteeIsAllowed() {
    Quota q = Quota.of("", "cpus:1");

    assertTrue(q.guarantee().isEmpty());
    assertFalse(q.isNone());
  }

  @Test
  void rangesAreRejectedInGuaranteeAndLimit() {
    IllegalArgumentException inGuarantee = assertThrows(IllegalArgumentException.class,
        () -> Quota.of("ports:[1-10]", ""));
    IllegalArgumentException inLimit = assertThrows(IllegalArgumentException.class,
        () -> Quota.of("cpus:1", "cpus:2;ports:[31000-32000]"));

    assertTrue(inGuarantee.getMessage().contains("guarantee") && inGuarantee.getMessage().contains("ports"),
        inGuarantee.getMessage());
    assertTrue(inLimit.getMessage().contains("limit") && inLimit.getMessage().contains("ports"),
        inLimit.getMessage());
  }

  @Test
  void reservedResourcesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Quota.of("cpus(spark):1", ""));

    assertTrue(e.getMessage().contains("cpus(spark):1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Quota.of("", "mem(analytics/spark):1"));
  }

  @Test
  void badTextIsReportedAsAnInvalidResource() {
    assertThrows(InvalidResourceException.class, () -> Quota.of("cpus:lots", ""));
  }

  @Test
  void missingPartsMeanNoQuota() {
    Quota q = new Quota(null, null);

    assertTrue(q.isNone());
    assertEquals(Resources.empty(), q.guarantee());
    assertEquals(Resources.empty(), q.limit());
    assertEquals(Quota.NONE, q);
    assertTrue(Quota.NONE.isNone());
    assertEquals(Quota.NONE, Quota.of("", ""));
  }
}
