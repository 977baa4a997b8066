package org.activitypipeline.localstack.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

/** Port checks on 127.0.0.1. */
public final class Ports {
  private Ports() {
  }

  /**
   * Fails when any port is taken: a stale server on the same port would otherwise make a readiness
   * check pass against the wrong process.
   */
  public static void requireFree(String server, Map<String, Integer> ports) {
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), e.getValue()));
      } catch (IOException ex) {
        throw new ServerStartException("cannot start " + server + ": port " + e.getValue() + " (" + e.getKey()
            + ") on 127.0.0.1 is in use. Is another stack running? Stop it, or move this one with --port-offset.");
      }
    }
  }

  /** True when something accepts TCP connections on 127.0.0.1:{@code port}. */
  public static boolean accepting(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
