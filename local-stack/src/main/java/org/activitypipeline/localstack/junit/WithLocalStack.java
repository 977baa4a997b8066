package org.activitypipeline.localstack.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.activitypipeline.localstack.ServerKind;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the shared local stack of this test JVM, starting the listed servers
 * (and what they need) if they are not running yet. Test methods and constructors may declare a
 * {@link org.activitypipeline.localstack.LocalStack} parameter.
 *
 * <pre>{@code
 * @WithLocalStack({ServerKind.KAFKA, ServerKind.POSTGRES})
 * class MyIT {
 *   @Test void works(LocalStack stack) { ... stack.connectionProperties().get("kafka.bootstrap.servers") ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalStackExtension.class)
public @interface WithLocalStack {
  ServerKind[] value();
}
