package io.trellis.spark.cds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive's name follows the install and the JVM; a failed training is reported once. */
class ClassArchiveTest {
  @TempDir
  Path dir;

  private Path jar(Path lib, String name) throws Exception {
    Files.createDirectories(lib);
    Path jar = lib.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.zip.ZipEntry("x.txt"));
      out.write(name.getBytes());
    }
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
    return jar;
  }

  @Test
  void theNameChangesWithAnyJarOfTheInstallAndWithTheJvm() throws Exception {
    Path lib = dir.resolve("lib");
    Path a = jar(lib, "a.jar");
    jar(lib, "b.jar");
    String java = System.getProperty("java.home");
    String first = ClassArchive.fingerprint(lib, java);
    assertEquals(first, ClassArchive.fingerprint(lib, java), "the same install, the same name");
    assertEquals(lib.getParent().resolve("cds").resolve("spark-" + first + ".jsa"), ClassArchive.location(lib, java),
        "beside lib, which is writable");

    Files.setLastModifiedTime(a, FileTime.fromMillis(1_700_000_001_000L));
    String touched = ClassArchive.fingerprint(lib, java);
    assertNotEquals(first, touched, "a rebuilt jar");
    jar(lib, "c.jar");
    assertNotEquals(touched, ClassArchive.fingerprint(lib, java), "one more jar");
    assertNotEquals(ClassArchive.fingerprint(lib, java), ClassArchive.fingerprint(lib, "/opt/other-java"),
        "another JVM");
  }

  @Test
  void aTrainingThatFailsLeavesNoArchiveIsReportedAndIsNotRetried() throws Exception {
    Path lib = dir.resolve("lib");
    jar(lib, "not-spark.jar");
    Path archive = dir.resolve("cds").resolve("spark-test.jsa");
    List<String> reports = new ArrayList<>();
    List<String> options = ClassArchive.ensure(lib, System.getProperty("java.home"), List.of(), archive, reports::add);
    assertEquals(List.of(), options, "no archive, no options: the JVMs start without one");
    assertFalse(Files.exists(archive));
    Path failed = archive.resolveSibling("spark-test.jsa.failed");
    assertTrue(Files.readString(failed).contains(Training.class.getName()), "the training JVM's output is kept");
    assertEquals(2, reports.size(), reports.toString());
    assertTrue(reports.get(0).startsWith("making the class-data archive for Spark JVMs"), reports.get(0));
    assertTrue(reports.get(1).contains("exited with 1") && reports.get(1).contains(failed.toString()), reports.get(1));

    reports.clear();
    assertEquals(List.of(), ClassArchive.ensure(lib, System.getProperty("java.home"), List.of(), archive, reports::add));
    assertEquals(1, reports.size(), reports.toString());
    assertTrue(reports.get(0).contains("an earlier attempt failed, see " + failed), reports.get(0));
    try (var files = Files.list(archive.getParent())) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("partial")), "no partial archive left");
    }
  }

  @Test
  void theOptionsNameTheArchiveAndSilenceAMismatch() {
    Path archive = Path.of("/var/cache/trellis/spark-1.jsa");
    assertEquals(List.of("-XX:SharedArchiveFile=/var/cache/trellis/spark-1.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"),
        ClassArchive.useOptions(archive));
  }
}
