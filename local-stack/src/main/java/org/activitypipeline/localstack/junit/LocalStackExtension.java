package org.activitypipeline.localstack.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.StackPorts;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * One {@link LocalStack} per test JVM, shared by every test class that uses {@link WithLocalStack},
 * started lazily (each class adds the servers it needs) and stopped when the JVM's tests end.
 *
 * <p>Its data lives in {@code target/local-stack-it} of the module under test, wiped when the JVM
 * first uses it, and its ports are the defaults shifted by {@link #portOffset()}: the build's
 * {@code localstack.port.offset} (system property, default 1000, so tests run beside a
 * {@code ./run-local.sh} stack) plus the module's own {@code localstack.port.module} (default 0), so
 * the stacks of modules that Maven builds in parallel never share a port.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {
  public static final String PORT_OFFSET_PROPERTY = "localstack.port.offset";
  public static final String MODULE_PORT_OFFSET_PROPERTY = "localstack.port.module";
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    WithLocalStack wanted = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), WithLocalStack.class)
        .orElseThrow(() -> new IllegalStateException("use @WithLocalStack to say which servers the test needs"));
    stack(context).start(EnumSet.copyOf(List.of(wanted.value())));
  }

  /**
   * The port offset of this JVM's shared stack; tests that start a stack of their own (a benchmark's, a
   * second stack) add a further fixed shift to it, so they never collide with another module either.
   */
  public static int portOffset() {
    return Integer.getInteger(PORT_OFFSET_PROPERTY, 1000) + Integer.getInteger(MODULE_PORT_OFFSET_PROPERTY, 0);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == LocalStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return stack(extensionContext);
  }

  private static LocalStack stack(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedStack.class, k -> new SharedStack(), SharedStack.class).stack;
  }

  /** Closed by JUnit when the root context closes, i.e. after the last test of the JVM. */
  private static final class SharedStack implements ExtensionContext.Store.CloseableResource {
    final LocalStack stack;

    SharedStack() {
      Path dir = Path.of("target", "local-stack-it").toAbsolutePath();
      try {
        deleteRecursively(dir);
        stack = LocalStack.create(dir, StackPorts.defaults().shiftedBy(portOffset()));
        // JUnit closes the root store after the last test; this also stops the servers when the
        // test JVM is terminated early (a fork timeout, Ctrl-C), so no server outlives it.
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-it-shutdown"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      stack.close();
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
