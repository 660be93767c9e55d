package io.trellis.storm.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StormClassArchiveTest {
  @TempDir
  Path tmp;

  @Test
  void noOptionsUntilTheArchiveExistsThenOptionsThatUseItQuietly() throws Exception {
    Path lib = Files.createDirectories(tmp.resolve("lib"));
    Files.writeString(lib.resolve("a.jar"), "a");
    StormClassArchive archive = new StormClassArchive(lib, System.getProperty("java.home"), tmp.resolve("cds"));
    assertEquals(List.of(), archive.options());
    Files.createDirectories(archive.path().getParent());
    Files.writeString(archive.path(), "made");
    assertEquals(List.of("-XX:SharedArchiveFile=" + archive.path(), "-Xlog:cds=off", "-Xlog:cds+dynamic=off"),
        archive.options());
  }

  @Test
  void aRebuiltJarOrAnotherJavaGetsANewArchive() throws Exception {
    Path lib = Files.createDirectories(tmp.resolve("lib"));
    Path jar = Files.writeString(lib.resolve("a.jar"), "a");
    String java = System.getProperty("java.home");
    Path first = new StormClassArchive(lib, java, tmp).path();
    assertEquals(first, new StormClassArchive(lib, java, tmp).path(), "the same install, the same archive");
    assertNotEquals(first, new StormClassArchive(lib, "/opt/other-java", tmp).path());
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
    assertNotEquals(first, new StormClassArchive(lib, java, tmp).path());
    assertTrue(first.getFileName().toString().matches("storm-[0-9a-f]+\\.jsa"), first.toString());
  }

  @Test
  void theArchiveLivesBesideTheLibraryWhenThatIsWritable() throws Exception {
    Path lib = Files.createDirectories(tmp.resolve("install/lib"));
    assertEquals(tmp.resolve("install/cds"), StormClassArchive.defaultDir(lib));
  }
}
