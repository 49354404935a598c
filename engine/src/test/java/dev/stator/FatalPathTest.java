package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.run;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RELIABILITY.md case 33: a {@link VirtualMachineError} anywhere takes the loop's fatal path, after
 * which no user code of any machine runs and every snapshot agrees with its future. An
 * {@link InternalError} stands in for the real thing (it is a {@code VirtualMachineError}); the
 * forked-JVM test (`dev.stator.dsl.FatalErrorTest`) checks a real {@code OutOfMemoryError}.
 */
final class FatalPathTest {

  /** How the parent's life ends while its child's exit action throws. */
  enum ParentEnd { STOPS, COMPLETES, FAULTS }

  private final List<String> userCode = new ArrayList<>();
  private final List<Failure> fatal = new ArrayList<>();

  private TestLoop loop() {
    return TestLoop.create(LoopOptions.DEFAULTS.withFatalFailureHandler(fatal::add), 0);
  }

  @ParameterizedTest
  @EnumSource(ParentEnd.class)
  void childExitThrowingVirtualMachineError_whileParentEnds_runsNoMoreUserCode(ParentEnd end) {
    MachineDefinition<Object> child = machine("child",
        state("busy").exit(run(() -> {
          throw new InternalError("simulated: the JVM is broken");
        })));
    MachineDefinition<Object> parent = machine("parent",
        RecoveryPolicy.<Object>reset(Object::new).atMost(3, java.time.Duration.ofMinutes(1)),
        state("working")
            .entry((context, step) -> step.startChild(child, new Object()))
            .exit(run(() -> userCode.add("parent exit")))
            .on("finish", "done")
            .on("break", null, run(() -> {
              throw new IllegalStateException("an ordinary fault");
            })),
        Charts.<Object>state("done").asFinal());
    TestLoop loop = loop();
    Machine<Object> machine = loop.start(parent, new Object());
    machine.addListener(new MachineListener<Object>() {
      @Override
      public void onTerminated(Machine<Object> m, StateSnapshot last) {
        userCode.add("parent onTerminated " + last);
      }

      @Override
      public void onReset(Machine<Object> m, Failure failure) {
        userCode.add("parent onReset");
      }
    });

    switch (end) {
      case STOPS -> machine.stop();
      case COMPLETES -> machine.send("finish");
      case FAULTS -> machine.send("break");
    }
    loop.runUntilIdle();

    // on completion, leaving "working" is part of the step and comes before the child is stopped;
    // nothing of the parent runs after the child's error
    List<String> allowed = end == ParentEnd.COMPLETES ? List.of("parent exit") : List.of();
    assertThat(userCode).isEqualTo(allowed);
    assertThat(machine.lifecycle()).isCompletedExceptionally();
    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(rootCause(machine.lifecycle())).isInstanceOf(InternalError.class);
    assertThat(fatal).hasSize(1);
    assertThat(fatal.get(0).cause()).isInstanceOf(InternalError.class);
    assertThat(loop.isClosed()).isTrue();
    assertThat(loop.liveMachines()).isZero();
  }

  @Test
  void virtualMachineErrorFromOnErrorGuard_takesTheFatalPath() {
    MachineDefinition<Object> definition = machine("guarded",
        state("a").on("go", "b"),
        state("b")
            .entry(run(() -> {
              throw new java.io.UncheckedIOException(new java.io.IOException("refused"));
            }))
            .onError(java.io.UncheckedIOException.class, (context, step) -> {
              throw new InternalError("simulated: the JVM is broken in a guard");
            }, "a"));
    TestLoop loop = loop();
    Machine<Object> machine = loop.start(definition, new Object());

    machine.send("go");

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(rootCause(machine.lifecycle())).isInstanceOf(InternalError.class);
    assertThat(fatal).hasSize(1);
    assertThat(loop.isClosed()).isTrue();
  }

  @Test
  void deadLetterHandlerThrowingVirtualMachineError_takesTheFatalPath() {
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS
        .withFatalFailureHandler(fatal::add)
        .withDeadLetterHandler(letter -> {
          throw new InternalError("simulated: broken in the dead-letter handler");
        }), 0);
    MachineDefinition<Object> definition = machine("m", state("a"));
    Machine<Object> ended = loop.start(definition, new Object());
    Machine<Object> bystander = loop.start(definition, new Object());
    ended.stop();

    // the handler runs on the loop thread here (the test loop's thread is the caller's)
    loop.execute(() -> ended.send("late"));

    assertThat(fatal).hasSize(1);
    assertThat(bystander.lifecycle()).isCompletedExceptionally();
    assertThat(bystander.state().status()).isEqualTo(Status.FAILED);
  }

  @Test
  void machineWhoseStartWasQueued_failsWithoutItsListenerRunning_whenTheFatalPathBegins() {
    List<Machine<Object>> late = new ArrayList<>();
    MachineDefinition<Object> idle = machine("idle", state("a"));
    MachineDefinition<Object> breaking = machine("breaking",
        Charts.<Object>state("a").on("break", null, (context, step) -> {
          late.add(step.machine().loop().start(idle, "late", new Object(),
              new MachineListener<Object>() {
                @Override
                public void onTerminated(Machine<Object> m, StateSnapshot last) {
                  userCode.add("late onTerminated " + last);
                }
              }));
          throw new InternalError("simulated: the JVM is broken");
        }));
    TestLoop loop = loop();
    Machine<Object> machine = loop.start(breaking, new Object());

    machine.send("break");

    assertThat(userCode).isEmpty();
    assertThat(late).hasSize(1);
    assertThat(late.get(0).lifecycle()).isCompletedExceptionally();
    assertThat(late.get(0).state().status()).isEqualTo(Status.FAILED);
  }

  @Test
  void childStoppedBeforeItsStartRan_keepsItsEnd_whenTheFatalPathFindsItsStartQueued() {
    List<Machine<Object>> children = new ArrayList<>();
    MachineDefinition<Object> idle = machine("idle", state("a"));
    MachineDefinition<Object> parent = machine("parent",
        Charts.<Object>state("a").entry((context, step) -> {
          children.add(step.startChild(idle, new Object()));
          throw new IllegalStateException("an ordinary fault, after the child's start was queued");
        }));
    TestLoop loop = loop();
    Machine<Object> machine = loop.start(parent, "p", new Object(), new MachineListener<>() {
      @Override
      public void onTerminated(Machine<Object> m, StateSnapshot last) {
        throw new InternalError("simulated: the JVM is broken in a listener");
      }
    });

    loop.runUntilIdle();

    assertThat(machine.lifecycle()).isCompletedExceptionally();
    assertThat(children).hasSize(1);
    Machine<Object> child = children.get(0);
    assertThat(child.lifecycle()).isCompleted().isNotCompletedExceptionally();
    assertThat(child.state().status()).isEqualTo(Status.STOPPED);
    assertThat(fatal).hasSize(1);
  }

  private static Throwable rootCause(CompletableFuture<?> future) {
    try {
      future.join();
      throw new AssertionError("the future completed normally");
    } catch (CompletionException e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      return t;
    }
  }
}
