package org.activitypipeline.serving.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's files, read from the jar once at start and served from memory: the page, its script
 * and style, and ECharts from its webjar. Javalin's static-file handlers mount the whole fat jar as a zip
 * file system and index every entry, about 150 MiB of heap for this jar before the first request; these
 * five files are about 1 MiB. Only these paths exist: nothing else of the jar can be asked for.
 */
final class StaticAssets {
  static final String ECHARTS = "/webjars/echarts/5.3.1/dist/echarts.min.js";

  /** A file and its content type. */
  record Asset(byte[] bytes, String contentType) {}

  private StaticAssets() {}

  /** Path → asset; {@code /} is the page. */
  static Map<String, Asset> load() {
    Map<String, Asset> assets = new LinkedHashMap<>();
    Asset page = new Asset(resource("/public/index.html"), "text/html; charset=utf-8");
    assets.put("/", page);
    assets.put("/index.html", page);
    assets.put("/dashboard.js", new Asset(resource("/public/dashboard.js"), "text/javascript; charset=utf-8"));
    assets.put("/dashboard.css", new Asset(resource("/public/dashboard.css"), "text/css; charset=utf-8"));
    assets.put(ECHARTS, new Asset(resource("/META-INF/resources" + ECHARTS), "text/javascript; charset=utf-8"));
    return assets;
  }

  static byte[] resource(String path) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " from the jar", e);
    }
  }
}
