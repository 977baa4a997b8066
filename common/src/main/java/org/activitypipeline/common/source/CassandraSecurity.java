package org.activitypipeline.common.source;

import org.activitypipeline.common.ops.LogText;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.activitypipeline.common.config.Config;
import org.activitypipeline.common.config.ConfigException;

/**
 * How a client authenticates to Cassandra and encrypts the connection: a user and password
 * ({@code PasswordAuthenticator}) and a trust store for client encryption, each optional. The same
 * for every Cassandra client of the pipeline (the poller, the reconciliation, the activity generator).
 *
 * @param username          null: no authentication
 * @param password          required with a username
 * @param trustStore        a PKCS12 trust store with the nodes' certificate (or their CA); null: plaintext
 * @param trustStorePassword required with a trust store
 */
public record CassandraSecurity(String username, String password, Path trustStore, String trustStorePassword) {
  /** No authentication, no encryption (a development cluster). */
  public static final CassandraSecurity NONE = new CassandraSecurity(null, null, null, null);

  /**
   * From {@link ActivityTableKeys}.
   *
   * @throws ConfigException naming the key when a user lacks its password, a trust store its password,
   *     or the trust store cannot be read
   */
  public static CassandraSecurity from(Config c) {
    String user = c.get(ActivityTableKeys.USERNAME);
    String password = c.get(ActivityTableKeys.PASSWORD);
    if (user != null && password == null) {
      throw new ConfigException(ActivityTableKeys.PASSWORD.name(), ActivityTableKeys.PASSWORD.name()
          + " is required with " + ActivityTableKeys.USERNAME.name());
    }
    if (user == null && password != null) {
      throw new ConfigException(ActivityTableKeys.USERNAME.name(), ActivityTableKeys.USERNAME.name()
          + " is required with " + ActivityTableKeys.PASSWORD.name());
    }
    Path trustStore = c.get(ActivityTableKeys.TRUSTSTORE);
    String trustPassword = c.get(ActivityTableKeys.TRUSTSTORE_PASSWORD);
    if (trustStore != null && trustPassword == null) {
      throw new ConfigException(ActivityTableKeys.TRUSTSTORE_PASSWORD.name(),
          ActivityTableKeys.TRUSTSTORE_PASSWORD.name() + " is required with " + ActivityTableKeys.TRUSTSTORE.name());
    }
    if (trustStore != null && !Files.isReadable(trustStore)) {
      throw new ConfigException(ActivityTableKeys.TRUSTSTORE.name(), ActivityTableKeys.TRUSTSTORE.name()
          + ": cannot read " + trustStore);
    }
    return new CassandraSecurity(user, password, trustStore, trustPassword);
  }

  /** Applies the credentials and, with a trust store, TLS with host name validation. */
  public CqlSessionBuilder applyTo(CqlSessionBuilder builder) {
    if (username != null) {
      builder.withAuthCredentials(username, password);
    }
    if (trustStore != null) {
      builder.withSslEngineFactory(new ProgrammaticSslEngineFactory(sslContext(), null, true));
    }
    return builder;
  }

  private SSLContext sslContext() {
    try (InputStream in = Files.newInputStream(trustStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, trustStorePassword.toCharArray());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(ActivityTableKeys.TRUSTSTORE.name() + ": cannot load " + trustStore + " ("
          + e.getMessage() + ")", e);
    }
  }

  /**
   * The one-line explanation of a refused login or TLS handshake anywhere in {@code failure}'s causes
   * (the driver wraps them per node), naming the key to check, or null when it is neither.
   */
  public static String refusal(Throwable failure) {
    java.util.Deque<Throwable> todo = new java.util.ArrayDeque<>();
    todo.add(failure);
    for (int seen = 0; !todo.isEmpty() && seen < 50; seen++) {
      Throwable t = todo.poll();
      if (t instanceof com.datastax.oss.driver.api.core.auth.AuthenticationException) {
        return ActivityTableKeys.PASSWORD.name() + ": Cassandra refused the login of " + ActivityTableKeys.USERNAME
            .name() + " (" + LogText.firstLine(t.getMessage()) + ")";
      }
      if (t instanceof javax.net.ssl.SSLException) {
        return ActivityTableKeys.TRUSTSTORE.name() + ": the TLS handshake with Cassandra failed ("
            + LogText.firstLine(t.getMessage()) + ")";
      }
      if (t instanceof com.datastax.oss.driver.api.core.AllNodesFailedException all) {
        all.getAllErrors().values().forEach(todo::addAll);
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
    }
    return null;
  }


  /** Never prints the passwords. */
  @Override
  public String toString() {
    return "CassandraSecurity[user=" + username + ", tls=" + (trustStore != null) + "]";
  }
}
