package org.activitypipeline.localstack.hive;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TField;
import org.apache.thrift.protocol.TList;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TStruct;
import org.apache.thrift.protocol.TType;
import org.apache.thrift.transport.TSaslClientTransport;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;

/**
 * Readiness probes that make one real Thrift call each, with libthrift's protocol and SASL
 * transport (the launcher does not carry Hive's generated clients: they bring Hadoop along). An
 * open port alone does not prove that requests are answered.
 *
 * <ul>
 *   <li>Metastore: {@code get_all_databases()}; the answer must list {@code default}, so Derby and
 *       the schema are up.
 *   <li>HiveServer2 (authentication {@code NONE} = SASL PLAIN with any user): {@code OpenSession}
 *       then {@code CloseSession}. Opening a session creates its scratch folders on HDFS and talks
 *       to the metastore: what a JDBC connect does.
 * </ul>
 */
final class ThriftProbe {
  /** TProtocolVersion.HIVE_CLI_SERVICE_PROTOCOL_V10; the server answers with min(client, server). */
  private static final int HIVE_CLI_PROTOCOL_V10 = 9;
  private static final int TIMEOUT_MS = 10_000;

  private ThriftProbe() {
  }

  /** The metastore's database names. */
  static List<String> metastoreDatabases(int port) throws TException {
    try (TTransport transport = new TSocket("127.0.0.1", port, TIMEOUT_MS)) {
      transport.open();
      TProtocol protocol = new TBinaryProtocol(transport);
      call(protocol, "get_all_databases", p -> { });
      Map<Short, Object> result = readReply(protocol, "get_all_databases");
      if (!(result.get((short) 0) instanceof List<?> names)) {
        throw new TException("get_all_databases failed: " + result);
      }
      List<String> databases = new ArrayList<>();
      names.forEach(n -> databases.add(utf8(n)));
      return databases;
    }
  }

  /** Opens and closes one HiveServer2 session; throws unless the server reports success. */
  static void hiveServer2Session(int port, String user) throws TException, javax.security.sasl.SaslException {
    TSocket socket = new TSocket("127.0.0.1", port, TIMEOUT_MS);
    try (TTransport transport = new TSaslClientTransport("PLAIN", null, null, "127.0.0.1", Map.of(),
        callbacks -> {
          for (Callback c : callbacks) {
            if (c instanceof NameCallback name) {
              name.setName(user);
            } else if (c instanceof PasswordCallback password) {
              password.setPassword("anonymous".toCharArray());
            }
          }
        }, socket)) {
      transport.open();
      TProtocol protocol = new TBinaryProtocol(transport);
      call(protocol, "OpenSession", p -> {
        p.writeFieldBegin(new TField("req", TType.STRUCT, (short) 1));
        p.writeStructBegin(new TStruct("TOpenSessionReq"));
        p.writeFieldBegin(new TField("client_protocol", TType.I32, (short) 1));
        p.writeI32(HIVE_CLI_PROTOCOL_V10);
        p.writeFieldEnd();
        p.writeFieldBegin(new TField("username", TType.STRING, (short) 2));
        p.writeString(user);
        p.writeFieldEnd();
        p.writeFieldStop();
        p.writeStructEnd();
        p.writeFieldEnd();
      });
      Map<Short, Object> opened = struct(readReply(protocol, "OpenSession").get((short) 0));
      requireSuccess("OpenSession", opened);
      Map<Short, Object> sessionId = struct(struct(opened.get((short) 3)).get((short) 1));

      call(protocol, "CloseSession", p -> {
        p.writeFieldBegin(new TField("req", TType.STRUCT, (short) 1));
        p.writeStructBegin(new TStruct("TCloseSessionReq"));
        p.writeFieldBegin(new TField("sessionHandle", TType.STRUCT, (short) 1));
        p.writeStructBegin(new TStruct("TSessionHandle"));
        p.writeFieldBegin(new TField("sessionId", TType.STRUCT, (short) 1));
        p.writeStructBegin(new TStruct("THandleIdentifier"));
        p.writeFieldBegin(new TField("guid", TType.STRING, (short) 1));
        p.writeBinary((ByteBuffer) sessionId.get((short) 1));
        p.writeFieldEnd();
        p.writeFieldBegin(new TField("secret", TType.STRING, (short) 2));
        p.writeBinary((ByteBuffer) sessionId.get((short) 2));
        p.writeFieldEnd();
        p.writeFieldStop();
        p.writeStructEnd();
        p.writeFieldEnd();
        p.writeFieldStop();
        p.writeStructEnd();
        p.writeFieldEnd();
        p.writeFieldStop();
        p.writeStructEnd();
        p.writeFieldEnd();
      });
      requireSuccess("CloseSession", struct(readReply(protocol, "CloseSession").get((short) 0)));
    }
  }

  private interface Args {
    void write(TProtocol protocol) throws TException;
  }

  private static void call(TProtocol p, String method, Args args) throws TException {
    p.writeMessageBegin(new TMessage(method, TMessageType.CALL, 1));
    p.writeStructBegin(new TStruct(method + "_args"));
    args.write(p);
    p.writeFieldStop();
    p.writeStructEnd();
    p.writeMessageEnd();
    p.getTransport().flush();
  }

  /** The result struct's fields by id (0 = return value); a Thrift exception reply throws. */
  private static Map<Short, Object> readReply(TProtocol p, String method) throws TException {
    TMessage message = p.readMessageBegin();
    if (message.type == TMessageType.EXCEPTION) {
      throw new TException(method + " answered with an application exception: " + readStruct(p));
    }
    Map<Short, Object> result = readStruct(p);
    p.readMessageEnd();
    return result;
  }

  /** Reads any struct generically: nested structs become maps, lists become lists, binary stays ByteBuffer. */
  private static Map<Short, Object> readStruct(TProtocol p) throws TException {
    Map<Short, Object> fields = new HashMap<>();
    p.readStructBegin();
    while (true) {
      TField field = p.readFieldBegin();
      if (field.type == TType.STOP) {
        break;
      }
      fields.put(field.id, readValue(p, field.type));
      p.readFieldEnd();
    }
    p.readStructEnd();
    return fields;
  }

  private static Object readValue(TProtocol p, byte type) throws TException {
    switch (type) {
      case TType.STRUCT:
        return readStruct(p);
      case TType.I32:
        return p.readI32();
      case TType.STRING:
        return p.readBinary();
      case TType.LIST: {
        TList list = p.readListBegin();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < list.size; i++) {
          values.add(readValue(p, list.elemType));
        }
        p.readListEnd();
        return values;
      }
      default:
        TProtocolUtil.skip(p, type);
        return null;
    }
  }

  /** TStatus.statusCode: 0 SUCCESS, 1 SUCCESS_WITH_INFO. */
  private static void requireSuccess(String method, Map<Short, Object> response) throws TException {
    Object code = struct(response.get((short) 1)).get((short) 1);
    if (!(code instanceof Integer c) || c > 1) {
      throw new TException(method + " failed: " + response);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<Short, Object> struct(Object value) throws TException {
    if (value instanceof Map<?, ?> map) {
      return (Map<Short, Object>) map;
    }
    throw new TException("unexpected reply shape: " + value);
  }

  private static String utf8(Object binary) {
    ByteBuffer b = ((ByteBuffer) binary).duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
