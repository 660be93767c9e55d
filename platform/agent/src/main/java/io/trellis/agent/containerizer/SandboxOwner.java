package io.trellis.agent.containerizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.stream.Stream;

/**
 * Hands a sandbox to the user its task runs as: the sandbox directory and the files in it (fetched
 * artifacts, stdout, stderr) become that user's, so the task can write there and nowhere else the
 * agent owns. The agent's own bookkeeping in the sandbox (its checkpoint and the exit file) stays
 * the agent's.
 */
final class SandboxOwner {
  private SandboxOwner() {}

  static void give(Path sandbox, String user) throws ContainerException {
    UserPrincipalLookupService users = sandbox.getFileSystem().getUserPrincipalLookupService();
    try {
      UserPrincipal owner = users.lookupPrincipalByName(user);
      Path meta = Checkpoint.metaDir(sandbox);
      for (String file : new String[] {"stdout", "stderr"}) {
        Path f = sandbox.resolve(file);
        if (!Files.exists(f)) {
          Files.createFile(f);
        }
      }
      try (Stream<Path> files = Files.walk(sandbox)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          if (!p.startsWith(meta) && !Files.isSymbolicLink(p)) {
            Files.setOwner(p, owner);
          }
        }
      }
      GroupPrincipal group = primaryGroup(users, sandbox, user);
      if (group != null) {
        Files.getFileAttributeView(sandbox, PosixFileAttributeView.class).setGroup(group);
      }
    } catch (UserPrincipalNotFoundException e) {
      throw new ContainerException("cannot run the task in " + sandbox + " as user '" + user
          + "': no such user on this agent; create the user or change the command's user", e);
    } catch (IOException e) {
      throw new ContainerException("cannot give the sandbox " + sandbox + " to user '" + user + "': " + e
          + "; check that the agent runs as root and its work directory is on a local file system", e);
    }
  }

  private static GroupPrincipal primaryGroup(UserPrincipalLookupService users, Path sandbox, String user) {
    try {
      return users.lookupPrincipalByGroupName(user);
    } catch (IOException e) {
      return null; // No group of the user's name (nobody's is nogroup): the owner is enough.
    }
  }
}
