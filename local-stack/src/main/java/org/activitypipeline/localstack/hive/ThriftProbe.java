package org.activitypipeline.localstack.hive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Readiness probes that make one real Thrift call, in the binary protocol written out by hand: the
 * launcher has no Hive or Thrift jars on its classpath (the servers run on their own), and an open
 * port alone does not prove that a request is answered.
 *
 * <ul>
 *   <li>Metastore: {@code get_all_databases()} on the plain (unframed) socket; the answer must list
 *       {@code default}, so Derby and the schema are up.
 *   <li>HiveServer2 ({@code hive.server2.authentication=NONE}, i.e. SASL PLAIN with any user):
 *       {@code OpenSession} then {@code CloseSession}. Opening a session creates its scratch folders
 *       on HDFS and talks to the metastore, so this is what a JDBC connect does.
 * </ul>
 */
final class ThriftProbe {
  private static final int VERSION_1 = 0x80010000;
  private static final byte CALL = 1;
  private static final byte EXCEPTION = 3;
  private static final byte T_STOP = 0;
  private static final byte T_BOOL = 2;
  private static final byte T_BYTE = 3;
  private static final byte T_DOUBLE = 4;
  private static final byte T_I16 = 6;
  private static final byte T_I32 = 8;
  private static final byte T_I64 = 10;
  private static final byte T_STRING = 11;
  private static final byte T_STRUCT = 12;
  private static final byte T_MAP = 13;
  private static final byte T_SET = 14;
  private static final byte T_LIST = 15;
  /** TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10; the server answers with min(client, server). */
  private static final int HIVE_CLI_PROTOCOL_V10 = 9;
  private static final int SASL_START = 1;
  private static final int SASL_COMPLETE = 5;
  private static final int TIMEOUT_MS = 10_000;

  private ThriftProbe() {
  }

  /** The metastore's database names. */
  static List<String> metastoreDatabases(int port) throws IOException {
    try (Socket socket = connect(port)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.write(call("get_all_databases", new byte[] {T_STOP}));
      out.flush();
      Map<Short, Object> result = readReply(new DataInputStream(socket.getInputStream()), "get_all_databases");
      if (!(result.get((short) 0) instanceof List<?> names)) {
        throw new IOException("get_all_databases failed: " + describe(result));
      }
      List<String> databases = new ArrayList<>();
      for (Object name : names) {
        databases.add(new String((byte[]) name, StandardCharsets.UTF_8));
      }
      return databases;
    }
  }

  /** Opens and closes one HiveServer2 session; throws unless the server reports success. */
  static void hiveServer2Session(int port, String user) throws IOException {
    try (Socket socket = connect(port)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      saslPlain(out, in, user);

      ByteArrayOutputStream req = new ByteArrayOutputStream();
      DataOutputStream r = new DataOutputStream(req);
      r.writeByte(T_STRUCT); // OpenSession_args.req
      r.writeShort(1);
      r.writeByte(T_I32); // TOpenSessionReq.client_protocol
      r.writeShort(1);
      r.writeInt(HIVE_CLI_PROTOCOL_V10);
      r.writeByte(T_STRING); // TOpenSessionReq.username
      r.writeShort(2);
      writeString(r, user);
      r.writeByte(T_STOP);
      r.writeByte(T_STOP);
      writeFrame(out, call("OpenSession", req.toByteArray()));
      Map<Short, Object> resp = struct(readReply(frame(in), "OpenSession").get((short) 0));
      requireSuccess("OpenSession", resp);
      Map<Short, Object> handle = struct(resp.get((short) 3));
      Map<Short, Object> id = struct(handle.get((short) 1));

      req.reset();
      r.writeByte(T_STRUCT); // CloseSession_args.req
      r.writeShort(1);
      r.writeByte(T_STRUCT); // TCloseSessionReq.sessionHandle
      r.writeShort(1);
      r.writeByte(T_STRUCT); // TSessionHandle.sessionId
      r.writeShort(1);
      r.writeByte(T_STRING); // THandleIdentifier.guid
      r.writeShort(1);
      writeBinary(r, (byte[]) id.get((short) 1));
      r.writeByte(T_STRING); // THandleIdentifier.secret
      r.writeShort(2);
      writeBinary(r, (byte[]) id.get((short) 2));
      r.write(new byte[] {T_STOP, T_STOP, T_STOP, T_STOP});
      writeFrame(out, call("CloseSession", req.toByteArray()));
      requireSuccess("CloseSession", struct(readReply(frame(in), "CloseSession").get((short) 0)));
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
    socket.setSoTimeout(TIMEOUT_MS);
    return socket;
  }

  /** SASL PLAIN as Thrift's TSaslClientTransport does it; afterwards every message is length-framed. */
  private static void saslPlain(DataOutputStream out, DataInputStream in, String user) throws IOException {
    writeSasl(out, SASL_START, "PLAIN".getBytes(StandardCharsets.US_ASCII));
    writeSasl(out, SASL_COMPLETE, ("\0" + user + "\0" + user).getBytes(StandardCharsets.UTF_8));
    out.flush();
    int status = in.readUnsignedByte();
    byte[] payload = new byte[in.readInt()];
    in.readFully(payload);
    if (status != SASL_COMPLETE) {
      throw new IOException("SASL PLAIN rejected (status " + status + "): "
          + new String(payload, StandardCharsets.UTF_8));
    }
  }

  private static void writeSasl(DataOutputStream out, int status, byte[] payload) throws IOException {
    out.writeByte(status);
    out.writeInt(payload.length);
    out.write(payload);
  }

  private static void writeFrame(DataOutputStream out, byte[] message) throws IOException {
    out.writeInt(message.length);
    out.write(message);
    out.flush();
  }

  private static DataInputStream frame(DataInputStream in) throws IOException {
    byte[] message = new byte[in.readInt()];
    in.readFully(message);
    return new DataInputStream(new ByteArrayInputStream(message));
  }

  private static byte[] call(String method, byte[] args) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(VERSION_1 | CALL);
    writeString(out, method);
    out.writeInt(1); // sequence id
    out.write(args);
    return bytes.toByteArray();
  }

  /** Reads a reply message and returns its result struct (field 0 = return value, others = exceptions). */
  private static Map<Short, Object> readReply(DataInputStream in, String method) throws IOException {
    int header = in.readInt();
    if ((header & 0xffff0000) != VERSION_1) {
      throw new IOException(method + ": not a Thrift binary reply (header " + Integer.toHexString(header) + ")");
    }
    readString(in);
    in.readInt();
    Map<Short, Object> result = readStruct(in);
    if ((header & 0xff) == EXCEPTION) {
      throw new IOException(method + " failed: " + describe(result));
    }
    return result;
  }

  private static void requireSuccess(String method, Map<Short, Object> resp) throws IOException {
    Map<Short, Object> status = struct(resp.get((short) 1));
    Object code = status.get((short) 1);
    if (!(code instanceof Integer c) || c > 1) { // SUCCESS_STATUS = 0, SUCCESS_WITH_INFO_STATUS = 1
      throw new IOException(method + " failed: " + describe(status));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<Short, Object> struct(Object value) throws IOException {
    if (!(value instanceof Map<?, ?>)) {
      throw new IOException("unexpected Thrift reply: expected a struct, got " + value);
    }
    return (Map<Short, Object>) value;
  }

  private static Map<Short, Object> readStruct(DataInputStream in) throws IOException {
    Map<Short, Object> fields = new HashMap<>();
    while (true) {
      byte type = in.readByte();
      if (type == T_STOP) {
        return fields;
      }
      fields.put(in.readShort(), readValue(in, type));
    }
  }

  private static Object readValue(DataInputStream in, byte type) throws IOException {
    return switch (type) {
      case T_BOOL, T_BYTE -> in.readByte();
      case T_DOUBLE -> in.readDouble();
      case T_I16 -> in.readShort();
      case T_I32 -> in.readInt();
      case T_I64 -> in.readLong();
      case T_STRING -> readString(in);
      case T_STRUCT -> readStruct(in);
      case T_MAP -> {
        byte keyType = in.readByte();
        byte valueType = in.readByte();
        int size = in.readInt();
        Map<Object, Object> map = new HashMap<>();
        for (int i = 0; i < size; i++) {
          map.put(readValue(in, keyType), readValue(in, valueType));
        }
        yield map;
      }
      case T_SET, T_LIST -> {
        byte elementType = in.readByte();
        int size = in.readInt();
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          list.add(readValue(in, elementType));
        }
        yield list;
      }
      default -> throw new IOException("unknown Thrift type " + type);
    };
  }

  private static byte[] readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 16 * 1024 * 1024) {
      throw new IOException("implausible Thrift string length " + length);
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    writeBinary(out, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeBinary(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** A result or status struct as text: its string fields (error messages) and numbers. */
  private static String describe(Map<Short, Object> struct) {
    StringBuilder sb = new StringBuilder("{");
    struct.forEach((id, v) -> sb.append(sb.length() > 1 ? ", " : "").append(id).append('=')
        .append(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
            : v instanceof Map<?, ?> m ? describeNested(m) : String.valueOf(v)));
    return sb.append('}').toString();
  }

  @SuppressWarnings("unchecked")
  private static String describeNested(Map<?, ?> m) {
    return m.keySet().stream().allMatch(k -> k instanceof Short) ? describe((Map<Short, Object>) m) : m.toString();
  }
}
