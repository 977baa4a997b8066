package org.activitypipeline.localstack.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes Hadoop-style {@code *-site.xml} configuration files (HDFS, Hive). */
public final class HadoopXml {
  private HadoopXml() {
  }

  public static void write(Path file, Map<String, String> props) throws IOException {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<!-- written by local-stack on every start -->\n"
        + "<configuration>\n");
    props.forEach((k, v) -> sb.append("  <property><name>").append(escape(k)).append("</name><value>")
        .append(escape(v)).append("</value></property>\n"));
    sb.append("</configuration>\n");
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb.toString());
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
