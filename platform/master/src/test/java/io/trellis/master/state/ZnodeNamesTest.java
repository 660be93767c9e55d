package io.trellis.master.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.curator.utils.PathUtils;
import org.junit.jupiter.api.Test;

class ZnodeNamesTest {
  @Test
  void plainIdsStayReadable() {
    assertEquals("agent-1.example.com", ZnodeNames.encode("agent-1.example.com"));
    assertEquals("f_1~x", ZnodeNames.encode("f_1~x"));
  }

  @Test
  void slashesPercentAndDotNamesAreEncoded() {
    assertEquals("analytics%2Fspark", ZnodeNames.encode("analytics/spark"));
    assertEquals("100%25", ZnodeNames.encode("100%"));
    assertEquals("%2E", ZnodeNames.encode("."));
    assertEquals("%2E%2E", ZnodeNames.encode(".."));
    assertEquals("%C3%BC", ZnodeNames.encode("ü"));
  }

  @Test
  void randomIdsRoundTripToLegalZnodeNames() {
    Random random = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      StringBuilder id = new StringBuilder();
      int length = 1 + random.nextInt(12);
      for (int j = 0; j < length; j++) {
        id.append(random.nextInt(4) == 0 ? (char) random.nextInt(0xD800) : "./%a:Z9 -".charAt(random.nextInt(9)));
      }
      String encoded = ZnodeNames.encode(id.toString());
      assertEquals(id.toString(), ZnodeNames.decode(encoded));
      PathUtils.validatePath("/x/" + encoded);
      assertFalse(encoded.equals(".") || encoded.equals(".."), encoded);
    }
  }

  @Test
  void malformedEscapesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZnodeNames.decode("a%2"));
    assertTrue(e.getMessage().contains("'a%2'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ZnodeNames.decode("%zz"));
  }
}
