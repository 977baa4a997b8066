package org.activitypipeline.localstack.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed key pair for 127.0.0.1 and a trust store holding its certificate, made once with the
 * JDK's own {@code keytool} (nothing to install): what the local broker's TLS listener serves and
 * its clients trust (Kafka's SASL_SSL listener, a Cassandra with client encryption).
 */
public final class TlsStores {
  private TlsStores() {
  }

  /** The trust store {@link #ensure} made in {@code dir}. */
  public static Path trustStore(Path dir) {
    return dir.resolve("truststore.p12").toAbsolutePath();
  }

  /** @return the key store ({@code broker.p12}); {@code truststore.p12} lies beside it */
  public static Path ensure(Path dir, String password) throws IOException, InterruptedException {
    Path keyStore = dir.resolve("broker.p12").toAbsolutePath();
    Path trustStore = dir.resolve("truststore.p12").toAbsolutePath();
    if (Files.exists(keyStore) && Files.exists(trustStore)) {
      return keyStore;
    }
    Files.createDirectories(dir);
    Files.deleteIfExists(keyStore);
    Files.deleteIfExists(trustStore);
    Path cert = dir.resolve("broker.crt").toAbsolutePath();
    Files.deleteIfExists(cert);
    keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
        "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-storetype", "PKCS12",
        "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
    keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", password,
        "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "local-stack-broker", "-file", cert.toString(), "-storetype",
        "PKCS12", "-keystore", trustStore.toString(), "-storepass", password);
    return keyStore;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new ServerStartException("keytool " + args[0] + " failed: " + out.strip());
    }
  }
}
