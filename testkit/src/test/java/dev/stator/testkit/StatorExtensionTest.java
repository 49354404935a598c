package dev.stator.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The extension gives a test a loop, closes it afterwards, fails a passing test when a machine
 * failed unobserved, and prints the seed of a failing test. Each rule runs a small fixture test
 * class through the JUnit launcher and reads its result.
 */
final class StatorExtensionTest {

  static final MachineDefinition<Object> FRAGILE = Stator.<String, Object>machine("fragile")
      .initial("up")
      .state("up", s -> s.on("break").then(c -> {
        throw new IllegalStateException("it broke");
      }).stay())
      .build();

  static final ByteArrayOutputStream PRINTED = new ByteArrayOutputStream();
  static final List<TestLoop> LOOPS = new ArrayList<>();

  /** Fixtures, run only through {@link #run(Class)}. */
  static final class Passing {
    @RegisterExtension
    static final StatorExtension EXTENSION =
        new StatorExtension(new PrintStream(PRINTED, true, StandardCharsets.UTF_8));

    @Test
    void usesTheLoop(TestLoop loop, TestLoop same) {
      LOOPS.add(loop);
      LOOPS.add(same);
      loop.start(FRAGILE, new Object()).send("nothing");
    }
  }

  static final class Unobserved {
    @RegisterExtension
    static final StatorExtension EXTENSION =
        new StatorExtension(new PrintStream(PRINTED, true, StandardCharsets.UTF_8));

    @Test
    @LoopSeed(7)
    void breaksAMachineAndLooksAway(TestLoop loop) {
      loop.start(FRAGILE, "looked-away", new Object()).send("break");
    }
  }

  static final class Observed {
    @RegisterExtension
    static final StatorExtension EXTENSION =
        new StatorExtension(new PrintStream(PRINTED, true, StandardCharsets.UTF_8));

    @Test
    void breaksAMachineAndAwaitsIt(TestLoop loop) {
      Machine<Object> machine = loop.start(FRAGILE, new Object());
      machine.lifecycle().whenComplete((end, failure) -> { });
      machine.send("break");
    }
  }

  @LoopSeed(42)
  static final class Failing {
    @RegisterExtension
    static final StatorExtension EXTENSION =
        new StatorExtension(new PrintStream(PRINTED, true, StandardCharsets.UTF_8));

    @Test
    void failsItsOwnAssertion(TestLoop loop) {
      assertThat(loop.liveMachines()).isEqualTo(1);
    }
  }

  /** Runs a fixture class and returns the result of its one test. */
  private static TestExecutionResult run(Class<?> fixture) {
    PRINTED.reset();
    LOOPS.clear();
    List<TestExecutionResult> results = new ArrayList<>();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture))
        .build(), new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (test.isTest()) {
              results.add(result);
            }
          }
        });
    assertThat(results).as("tests run in " + fixture.getSimpleName()).hasSize(1);
    return results.get(0);
  }

  private static String printed() {
    return PRINTED.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTestLoopParameter_isOneLoopPerTest_closedAfterIt() {
    TestExecutionResult result = run(Passing.class);

    assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    assertThat(LOOPS).hasSize(2);
    assertThat(LOOPS.get(0)).isSameAs(LOOPS.get(1));
    assertThat(LOOPS.get(0).isClosed()).isTrue();
    assertThat(printed()).isEmpty();
  }

  @Test
  void anUnobservedFailure_failsATestThatPassed_namingItAndTheSeed() {
    TestExecutionResult result = run(Unobserved.class);

    assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    Optional<Throwable> thrown = result.getThrowable();
    assertThat(thrown).get().isInstanceOf(AssertionError.class);
    assertThat(thrown.get().getMessage())
        .contains("1 machine failed and nobody observed it")
        .contains("test loop seed 7")
        .contains("machine 'looked-away' failed in state up on event break during ACTION");
  }

  @Test
  void anObservedFailure_letsTheTestPass() {
    TestExecutionResult result = run(Observed.class);

    assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
  }

  @Test
  void aFailingTest_printsItsSeed_andFailsWithItsOwnError() {
    TestExecutionResult result = run(Failing.class);

    assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(result.getThrowable()).get().isInstanceOf(AssertionError.class);
    assertThat(printed()).contains("failsItsOwnAssertion(TestLoop): test loop seed 42")
        .contains("@LoopSeed(42L)").contains("-Dstator.seed=42");
  }
}
