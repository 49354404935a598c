package dev.stator.testkit;

import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.testing.TestLoop;
import java.io.PrintStream;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A JUnit 5 extension that gives each test a {@link TestLoop} as a parameter, and after the test
 * closes it and fails the test if a machine failed with nobody observing it:
 *
 * <pre>{@code
 * @ExtendWith(StatorExtension.class)
 * final class PlayerTest {
 *   @Test
 *   void play_fromStopped_startsPlaying(TestLoop loop) {
 *     Machine<Player> player = loop.start(PLAYER, new Player());
 *     player.send("play");
 *     assertThat(player).isIn("on/track/playing");
 *   }
 * }
 * }</pre>
 *
 * <p>The loop is seeded (its randomness is the jitter of restart backoff): by {@link LoopSeed} on
 * the method or class, else by the system property {@value #SEED_PROPERTY}, else at random. When
 * the test fails, the seed is printed to standard error, with how to run it again.
 *
 * <p>An unobserved failure is one the loop hands to its unobserved-failure handler: a machine
 * failed for good and nobody awaited its lifecycle future or listened to it. The extension
 * replaces that handler to collect them; the test fails naming each one, unless it failed
 * already.
 *
 * <p><b>Thread-safety:</b> JUnit calls it; it keeps each test's loop in that test's extension
 * store, so tests may run in parallel. The loop itself is confined to the test's thread.
 */
public final class StatorExtension
    implements ParameterResolver, AfterEachCallback, TestExecutionExceptionHandler {

  /** The system property that seeds the loops of tests without {@link LoopSeed}. */
  public static final String SEED_PROPERTY = "stator.seed";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(StatorExtension.class);

  private final PrintStream out;

  /** Creates the extension; JUnit does, for {@code @ExtendWith(StatorExtension.class)}. */
  public StatorExtension() {
    this(System.err);
  }

  StatorExtension(PrintStream out) {
    this.out = out;
  }

  /** One test's loop, its seed and what nobody observed. */
  private static final class Run {
    final long seed;
    final List<Failure> unobserved = new ArrayList<>();
    final TestLoop loop;

    Run(long seed) {
      this.seed = seed;
      this.loop = TestLoop.create(
          LoopOptions.DEFAULTS.withUnobservedFailureHandler(unobserved::add), seed);
    }
  }

  /**
   * {@return whether the parameter is a {@link TestLoop}}
   *
   * @param parameter the parameter JUnit asks about
   * @param extension the test's context
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == TestLoop.class;
  }

  /**
   * {@return the test's loop: made at the first parameter that asks for it, the same for every
   * other}
   *
   * @param parameter the parameter
   * @param extension the test's context
   * @throws ParameterResolutionException if the system property's seed is not a number
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return run(extension, true).loop;
  }

  /**
   * Prints the loop's seed when the test failed, and rethrows what it threw.
   *
   * @param extension the test's context
   * @param thrown what the test threw
   * @throws Throwable {@code thrown}, always
   */
  @Override
  public void handleTestExecutionException(ExtensionContext extension, Throwable thrown)
      throws Throwable {
    Run run = run(extension, false);
    if (run != null) {
      out.println(seedLine(extension, run.seed));
    }
    throw thrown;
  }

  /**
   * Closes the test's loop, and fails a test that passed so far if a machine failed unobserved.
   *
   * @param extension the test's context
   * @throws AssertionError naming each unobserved failure and the seed
   */
  @Override
  public void afterEach(ExtensionContext extension) {
    Run run = run(extension, false);
    if (run == null) {
      return;
    }
    run.loop.close();
    if (!run.unobserved.isEmpty() && extension.getExecutionException().isEmpty()) {
      StringBuilder message = new StringBuilder().append(run.unobserved.size())
          .append(run.unobserved.size() == 1 ? " machine" : " machines")
          .append(" failed and nobody observed it (await its lifecycle future, listen to it, or")
          .append(" check loop.failures()); ").append(seedLine(extension, run.seed));
      for (Failure failure : run.unobserved) {
        message.append("\n  ").append(failure.summary());
      }
      AssertionError error = new AssertionError(message.toString());
      run.unobserved.forEach(failure -> error.addSuppressed(failure.cause()));
      out.println(seedLine(extension, run.seed));
      throw error;
    }
  }

  private Run run(ExtensionContext extension, boolean create) {
    ExtensionContext.Store store = extension.getStore(NAMESPACE);
    if (!create) {
      return store.get(Run.class, Run.class);
    }
    return store.getOrComputeIfAbsent(Run.class, key -> new Run(seedOf(extension)), Run.class);
  }

  private static long seedOf(ExtensionContext extension) {
    Optional<LoopSeed> annotated = annotation(extension.getElement());
    if (annotated.isEmpty()) {
      annotated = extension.getTestClass().flatMap(type -> annotation(Optional.of(type)));
    }
    if (annotated.isPresent()) {
      return annotated.get().value();
    }
    String property = System.getProperty(SEED_PROPERTY);
    if (property != null) {
      try {
        return Long.parseLong(property.trim());
      } catch (NumberFormatException notANumber) {
        throw new ParameterResolutionException("system property " + SEED_PROPERTY + ": expected"
            + " a long, such as -D" + SEED_PROPERTY + "=42, not \"" + property + "\"");
      }
    }
    return ThreadLocalRandom.current().nextLong();
  }

  private static Optional<LoopSeed> annotation(Optional<? extends AnnotatedElement> element) {
    return element.map(each -> each.getAnnotation(LoopSeed.class));
  }

  private static String seedLine(ExtensionContext extension, long seed) {
    return "[stator] " + extension.getDisplayName() + ": test loop seed " + seed
        + " (run it again with @LoopSeed(" + seed + "L) or -D" + SEED_PROPERTY + "=" + seed + ")";
  }
}
