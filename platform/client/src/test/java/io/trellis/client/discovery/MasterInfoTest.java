package io.trellis.client.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MasterInfoTest {
  @Test
  void jsonHasIdEndpointAndEpoch() throws Exception {
    JsonNode json = Json.mapper().readTree(new MasterInfo("m1", "127.0.0.1:5050", 3).toJson());
    assertEquals(3, json.size(), json.toString());
    assertEquals("m1", json.get("id").asText());
    assertEquals("127.0.0.1:5050", json.get("endpoint").asText());
    assertEquals(3, json.get("epoch").asLong());
  }

  @Test
  void jsonRoundTrips() {
    MasterInfo info = new MasterInfo("m-2", "[::1]:5051", 42);
    assertEquals(info, MasterInfo.fromJson(info.toJson()));
    assertEquals("[::1]", info.host());
    assertEquals(5051, info.port());
  }

  @Test
  void unknownFieldsAreIgnoredSoNewerMastersStayReadable() {
    byte[] json = "{\"id\":\"m1\",\"endpoint\":\"127.0.0.1:5050\",\"epoch\":1,\"version\":\"2.0\"}"
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(new MasterInfo("m1", "127.0.0.1:5050", 1), MasterInfo.fromJson(json));
  }

  @Test
  void malformedJsonIsRejectedQuotingTheText() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MasterInfo.fromJson("{\"id\":\"m1\"}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("malformed leader info '{\"id\":\"m1\"}'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MasterInfo.fromJson("nope".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> MasterInfo.fromJson(new byte[0]));
  }

  @Test
  void invalidFieldsAreRejectedNamingTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new MasterInfo("m1", "127.0.0.1", 1));
    assertEquals("bad master endpoint '127.0.0.1': it has no port; expected host:port", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MasterInfo(" ", "127.0.0.1:1", 1));
    assertThrows(IllegalArgumentException.class, () -> new MasterInfo("m1", "127.0.0.1:1", -1));
  }
}
