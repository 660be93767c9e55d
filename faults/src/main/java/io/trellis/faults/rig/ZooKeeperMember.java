package io.trellis.faults.rig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * One member of a ZooKeeper ensemble in its own JVM, for installs without {@code trellis zookeeper}:
 * {@code ZooKeeperMember DATA_DIR ID HOST:PEER:ELECTION:CLIENT,...}. Prints the same line as {@code
 * trellis zookeeper} once it serves.
 */
public final class ZooKeeperMember {
  private ZooKeeperMember() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ZooKeeperMember DATA_DIR ID HOST:PEER:ELECTION:CLIENT,...");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    int id = Integer.parseInt(args[1]);
    String[] members = args[2].split(",");
    Files.createDirectories(data);
    Files.writeString(data.resolve("myid"), Integer.toString(id));
    Properties p = new Properties();
    String[] own = members[id - 1].split(":");
    p.setProperty("dataDir", data.toString());
    p.setProperty("clientPort", own[3]);
    p.setProperty("clientPortAddress", own[0]);
    p.setProperty("tickTime", "500");
    p.setProperty("initLimit", "10");
    p.setProperty("syncLimit", "5");
    p.setProperty("admin.enableServer", "false");
    p.setProperty("4lw.commands.whitelist", "ruok,stat,srvr");
    for (int i = 0; i < members.length; i++) {
      String[] m = members[i].split(":");
      p.setProperty("server." + (i + 1), m[0] + ":" + m[1] + ":" + m[2]);
    }
    ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder().baseDir(data).configuration(p)
        .exitHandler(ExitHandler.LOG_ONLY).build();
    server.start(60_000);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("ZooKeeper " + id + " serving clients on " + own[0] + ":" + own[3]);
    new CountDownLatch(1).await();
  }
}
