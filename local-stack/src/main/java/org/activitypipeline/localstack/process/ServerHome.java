package org.activitypipeline.localstack.process;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the classpath folder Maven built for a forked server:
 * {@code local-stack/servers/<name>/target/lib}. Looked up from, in order, the system property
 * {@code localstack.servers.dir}, the location of this launcher's jar or classes (under
 * {@code local-stack/target}), and the current directory and its parents (a module of this project).
 */
public final class ServerHome {
  public static final String SERVERS_DIR_PROPERTY = "localstack.servers.dir";

  private ServerHome() {
  }

  /** @throws ServerStartException telling how to build the folder when it is missing */
  public static Path libDir(String server) {
    Path servers = serversDir();
    Path lib = servers.resolve(server).resolve("target").resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new ServerStartException("classpath folder for " + server + " not found at " + lib
          + ": build it with 'mvn -B -DskipTests package' from the project root");
    }
    return lib;
  }

  /**
   * A class loader over a server's classpath folder whose parent is the platform loader: the server's
   * classes (a JDBC driver, command-line tools) without any of the launcher's, so no dependency clashes.
   */
  public static java.net.URLClassLoader isolatedLoader(String server) throws java.io.IOException {
    Path lib = libDir(server);
    java.util.List<java.net.URL> jars = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> files = Files.list(lib)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        jars.add(jar.toUri().toURL());
      }
    }
    return new java.net.URLClassLoader(server, jars.toArray(java.net.URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  static Path serversDir() {
    String explicit = System.getProperty(SERVERS_DIR_PROPERTY);
    if (explicit != null) {
      return Path.of(explicit);
    }
    try {
      Path code = Path.of(ServerHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = code; p != null; p = p.getParent()) {
        if (Files.isDirectory(p.resolve("servers")) && p.getFileName() != null
            && p.getFileName().toString().equals("local-stack")) {
          return p.resolve("servers");
        }
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // fall through to the working directory
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("local-stack").resolve("servers");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new ServerStartException("cannot find local-stack/servers from " + Path.of("").toAbsolutePath()
        + "; run from the project checkout or set -D" + SERVERS_DIR_PROPERTY);
  }
}
