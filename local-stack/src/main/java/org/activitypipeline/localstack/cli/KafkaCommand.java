package org.activitypipeline.localstack.cli;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.activitypipeline.localstack.process.ServerHome;
import org.activitypipeline.localstack.process.ServerStartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar local-stack.jar kafka TOOL [ARGS]}: Kafka's own command-line tools, of the broker's
 * version, with nothing installed but the JDK. The same arguments as {@code kafka-TOOL.sh}; without
 * {@code --bootstrap-server} the local stack's broker is used. The tools come from the stack's
 * {@code kafka-tools} classpath, loaded in a class loader of their own.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
    description = {"Runs one of Kafka's tools with the arguments of its kafka-TOOL.sh script: "
        + "topics, console-consumer, console-producer, consumer-groups, get-offsets, transactions, acls.",
        "Without --bootstrap-server: the local stack's broker, 127.0.0.1:19092.",
        "Example: kafka console-consumer --topic pipeline-dlq --from-beginning --property print.headers=true"})
final class KafkaCommand implements Callable<Integer> {
  static final Map<String, String> TOOLS = Map.of(
      "topics", "org.apache.kafka.tools.TopicCommand",
      "console-consumer", "org.apache.kafka.tools.consumer.ConsoleConsumer",
      "console-producer", "org.apache.kafka.tools.ConsoleProducer",
      "consumer-groups", "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
      "get-offsets", "org.apache.kafka.tools.GetOffsetShell",
      "transactions", "org.apache.kafka.tools.TransactionsCommand",
      "acls", "org.apache.kafka.tools.AclCommand");

  @Parameters(index = "0", paramLabel = "TOOL", description = "topics | console-consumer | console-producer |"
      + " consumer-groups | get-offsets | transactions | acls")
  String tool;

  @Parameters(index = "1..*", paramLabel = "ARGS", description = "The tool's own arguments.")
  List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    String mainClass = TOOLS.get(tool);
    if (mainClass == null) {
      System.err.println("error: unknown tool '" + tool + "'; one of " + String.join(", ", TOOLS.keySet().stream()
          .sorted().toList()));
      return 2;
    }
    List<String> full = new ArrayList<>(args);
    if (!full.contains("--bootstrap-server")) {
      full.addAll(0, List.of("--bootstrap-server", "127.0.0.1:19092"));
    }
    // Kafka's logging would otherwise print its configuration search to the terminal.
    System.setProperty("log4j2.level", "WARN");
    System.setProperty("log4j2.statusLoggerLevel", "OFF");
    try (URLClassLoader loader = loader()) {
      Thread.currentThread().setContextClassLoader(loader);
      Method main = Class.forName(mainClass, true, loader).getMethod("main", String[].class);
      main.invoke(null, (Object) full.toArray(String[]::new)); // the tools exit the JVM themselves on errors
      return 0;
    } catch (InvocationTargetException e) {
      System.err.println("error: " + e.getCause());
      return 1;
    } catch (ServerStartException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    } catch (IOException | ReflectiveOperationException e) {
      System.err.println("error: " + e);
      return 1;
    }
  }

  private static URLClassLoader loader() throws IOException {
    return ServerHome.isolatedLoader("kafka-tools");
  }
}
