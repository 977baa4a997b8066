package org.activitypipeline.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

@WithLocalStack(ServerKind.HDFS)
class HdfsIT {

  @Test
  void writeAndReadBackThroughHdfsUri(LocalStack stack) throws Exception {
    String uri = stack.connectionProperties().get("hdfs.uri");
    assertTrue(uri.startsWith("hdfs://"), uri);
    byte[] payload = new byte[3 * 1024 * 1024 + 17]; // several packets, not a toy write
    new Random(42).nextBytes(payload);
    Path file = new Path(uri + "/it/hdfs-" + System.nanoTime() + "/payload.bin");
    try (FileSystem fs = FileSystem.newInstance(URI.create(uri), new Configuration())) {
      assertEquals("hdfs", fs.getScheme());
      try (FSDataOutputStream out = fs.create(file, false)) {
        out.write(payload);
      }
      assertEquals(payload.length, fs.getFileStatus(file).getLen());
      byte[] read = new byte[payload.length];
      try (FSDataInputStream in = fs.open(file)) {
        in.readFully(0, read);
      }
      assertArrayEquals(payload, read);

      Path renamed = new Path(file.getParent(), "renamed.txt");
      try (FSDataOutputStream out = fs.create(renamed)) {
        out.write("hello hdfs".getBytes(StandardCharsets.UTF_8));
      }
      assertEquals(2, fs.listStatus(file.getParent()).length);
    }
  }
}
