package io.trellis.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.security.tls.SelfSignedSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientDiscoveryTest {
  @TempDir
  Path home;
  private final Map<String, String> env = new HashMap<>();
  private Path localToken;
  private Path userToken;

  @BeforeEach
  void files() throws Exception {
    localToken = home.resolve(".trellis/local/security/admin.token");
    Files.createDirectories(localToken.getParent());
    Files.writeString(localToken, "local-admin\n");
    userToken = home.resolve(".trellis/token");
    Files.writeString(userToken, "user-file\n");
  }

  private ClientSecurity discover(ClientDiscovery.Options options) {
    return new ClientDiscovery(env, home).discover(options);
  }

  private ClientSecurity discover() {
    return discover(ClientDiscovery.Options.NONE);
  }

  @Test
  void credentialsAreFoundInTheContractsOrder() throws Exception {
    Path optionFile = home.resolve("option.token");
    Files.writeString(optionFile, "from-option");
    Path envFile = home.resolve("env.token");
    Files.writeString(envFile, "from-env-file\n");
    env.put("TRELLIS_TOKEN", "from-env");
    env.put("TRELLIS_TOKEN_FILE", envFile.toString());
    env.put("TRELLIS_USER", "alice");
    env.put("TRELLIS_PASSWORD", "s3cret");
    assertEquals("Bearer from-option", discover(new ClientDiscovery.Options(optionFile, null, null, null)).authorization());
    assertEquals("Bearer from-env", discover().authorization());
    env.remove("TRELLIS_TOKEN");
    assertEquals("Bearer from-env-file", discover().authorization());
    env.remove("TRELLIS_TOKEN_FILE");
    assertEquals("Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)),
        discover().authorization());
    env.remove("TRELLIS_USER");
    env.remove("TRELLIS_PASSWORD");
    assertEquals("Bearer user-file", discover().authorization());
    Files.delete(userToken);
    ClientSecurity local = discover();
    assertEquals("Bearer local-admin", local.authorization());
    assertEquals(localToken.toString(), local.sources().credentials());
    Files.delete(localToken);
    ClientSecurity none = discover();
    assertNull(none.authorization());
    assertEquals("http", none.scheme());
    assertTrue(none.refusalAdvice(401).contains("TRELLIS_TOKEN") && none.refusalAdvice(401).contains(localToken.toString()),
        none.refusalAdvice(401));
  }

  @Test
  void theEnvironmentPassedToStartedProcessesCarriesTheSameSettings() throws Exception {
    env.put("TRELLIS_USER", "alice");
    env.put("TRELLIS_PASSWORD", "pa:ss");
    SelfSignedSetup setup = SelfSignedSetup.ensure(home.resolve("tls"), List.of(), Instant.now());
    env.put("TRELLIS_CA", setup.ca().toString());
    ClientSecurity found = discover();
    assertEquals("https", found.scheme());
    Map<String, String> passed = found.environment();
    assertEquals(Map.of("TRELLIS_USER", "alice", "TRELLIS_PASSWORD", "pa:ss", "TRELLIS_CA", setup.ca().toString()), passed);
    ClientSecurity child = new ClientDiscovery(passed, home.resolve("elsewhere")).discover(ClientDiscovery.Options.NONE);
    assertEquals(found.authorization(), child.authorization());
    assertEquals("https", child.scheme());
    assertTrue(!found.toString().contains("pa:ss") && !found.toString().contains(found.authorization()), found.toString());
  }

  @Test
  void misconfigurationsAreRefusedNamingWhatToFix() throws Exception {
    env.put("TRELLIS_USER", "alice");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, this::discover);
    assertTrue(e.getMessage().contains("TRELLIS_PASSWORD"), e.getMessage());
    env.clear();
    env.put("TRELLIS_TOKEN_FILE", home.resolve("nope").toString());
    e = assertThrows(IllegalArgumentException.class, this::discover);
    assertTrue(e.getMessage().contains(home.resolve("nope").toString()), e.getMessage());
    env.clear();
    env.put("TRELLIS_TOKEN", "two words");
    e = assertThrows(IllegalArgumentException.class, this::discover);
    assertTrue(!e.getMessage().contains("two words"), "the token is not repeated: " + e.getMessage());
    env.clear();
    env.put("TRELLIS_CERT", home.resolve("c.pem").toString());
    e = assertThrows(IllegalArgumentException.class, this::discover);
    assertTrue(e.getMessage().contains("without its private key"), e.getMessage());
  }
}
