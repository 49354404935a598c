package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.dsl.Stator;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * How the engine's values describe themselves where a person reads them: the model of a
 * definition (machine, states, transitions, calls), recovery policies, the events the engine
 * makes (a timer's, a call's, a child's end) as failure summaries name them, the end of a machine
 * and a stall; and the default handlers, which log a dead letter, an unobserved failure and a
 * stall through {@code System.Logger "dev.stator"}.
 */
final class DescriptionsTest {

  private static final MachineDefinition<Object> MODEL = Stator.<String, Object>machine("model")
      .initial("idle")
      .state("idle", s -> s
          .invokeAsync("dial", (c, step) -> new CompletableFuture<>(), Duration.ofSeconds(5))
          .invoke("look", (c, step) -> 1)
          .on("go").when(c -> true).goTo("work")
          .on("poke").stay())
      .state("work", s -> s.initial("a").state("a").state("b"))
      .finalState("done")
      .build();

  @Test
  void theModel_describesMachineStatesTransitionsAndCalls() {
    MachineSpec<Object> spec = MODEL.spec();
    StateSpec<Object> idle = spec.states().get(0);
    TransitionSpec<Object> go = idle.transitions().get(0);
    TransitionSpec<Object> poke = idle.transitions().get(1);

    assertThat(spec).hasToString("machine model [idle, work, done]");
    assertThat(idle).hasToString("state idle");
    assertThat(spec.states().get(1)).hasToString("state work [a, b]");
    assertThat(spec.states().get(2)).hasToString("final state done");
    assertThat(go).hasToString("on go [guarded] -> work");
    assertThat(poke).hasToString("on poke -> (stay)");
    assertThat(go.isTargetless()).isFalse();
    assertThat(poke.isTargetless()).isTrue();
    assertThat(idle.invocations()).extracting(Object::toString)
        .containsExactly("invoke dial (ASYNC, timeout PT5S)", "invoke look (SYNC)");
  }

  @Test
  void recoveryPolicies_describeThemselvesInTheDslsWords() {
    RecoveryPolicy<Object> reset = RecoveryPolicy.reset(Object::new)
        .atMost(2, Duration.ofMinutes(1))
        .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
        .jitter(0.5);
    RecoveryPolicy<Object> plain = RecoveryPolicy.reset(Object::new);
    RecoveryPolicy<Object> byCause = RecoveryPolicy.byCause()
        .on(java.io.IOException.class, RecoveryPolicy.exit())
        .otherwise(RecoveryPolicy.shutdown((context, failure) -> { }, Duration.ofSeconds(5)));

    assertThat(reset).hasToString(
        "reset(at most 2 in PT1M, backoff PT1S..PT8S, jitter 0.5) then exit");
    assertThat(plain).hasToString("reset(at most 3 in PT1M) then exit");
    assertThat(byCause).hasToString(
        "byCause(IOException -> exit; otherwise shutdown(deadline PT5S))");
  }

  @Test
  void theEventsTheEngineMakes_areNamedInFailureSummaries() {
    Failure timer = failureOn(timerThatThrows());
    Failure call = failureOn(Stator.<String, Object>machine("c")
        .initial("calling")
        .state("calling", s -> s.invoke("look", (c, step) -> 1).onDone("look").then(c -> {
          throw new IllegalStateException("x");
        }).stay())
        .build());

    assertThat(timer.summary()).contains("on event Timeout(armed after PT10S)");
    assertThat(timer).hasToString(timer.summary());
    assertThat(call.summary()).contains("on event CallDone(look)");
    assertThat(new ChildTerminated("kid", Status.STOPPED, null))
        .hasToString("ChildTerminated(kid STOPPED)");
  }

  /** A machine whose state timeout, 10 s after its start, runs an action that throws. */
  private static MachineDefinition<Object> timerThatThrows() {
    return Stator.<String, Object>machine("t")
        .initial("armed")
        .state("armed", s -> s.after(Duration.ofSeconds(10)).then(c -> {
          throw new IllegalStateException("x");
        }).stay())
        .build();
  }

  private static Failure failureOn(MachineDefinition<Object> definition) {
    dev.stator.testing.TestLoop loop = dev.stator.testing.TestLoop.create();
    Machine<Object> machine = loop.start(definition, new Object());
    machine.lifecycle().exceptionally(failure -> null);
    loop.advance(Duration.ofSeconds(10));
    return machine.state().failure();
  }

  @Test
  void aFailuresReport_listsItsRecentSteps_andAnEndAndAStallSayWhereTheyWere() {
    Failure failure = failureOn(timerThatThrows());

    assertThat(failure.report()).contains("steps, oldest first:");
    assertThat(new Termination<>("m", Status.STOPPED, "a/b", null))
        .hasToString("machine 'm' STOPPED in a/b");
    assertThat(new Termination<>("m", Status.STOPPED, "", null)).hasToString("machine 'm' STOPPED");
    assertThat(new Stall("loop", "m", Phase.ACTION, Duration.ofMillis(250), List.of()))
        .hasToString("Stall[loop, m ACTION, 250 ms]");
    assertThat(new Stall("loop", null, null, Duration.ofMillis(250), List.of()))
        .hasToString("Stall[loop, 250 ms]");
  }

  @Test
  void theDefaultHandlers_logThroughTheDevStatorLogger() {
    List<LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord logRecord) {
        logged.add(logRecord);
      }

      @Override
      public void flush() { }

      @Override
      public void close() { }
    };
    Logger logger = Logger.getLogger("dev.stator");
    logger.addHandler(handler);
    try {
      LoopOptions.DEFAULTS.deadLetterHandler()
          .accept(new DeadLetter("m", "ping", "loop closed"));
      Failure failure = failureOn(Stator.<String, Object>machine("t")
          .initial("armed")
          .state("armed", s -> s.after(Duration.ofSeconds(10)).then(c -> {
            throw new IllegalStateException("x");
          }).stay())
          .build());
      LoopOptions.DEFAULTS.unobservedFailureHandler().accept(failure);
      LoopOptions.DEFAULTS.stallHandler()
          .accept(new Stall("loop", null, null, Duration.ofMillis(250), List.of()));
    } finally {
      logger.removeHandler(handler);
    }

    assertThat(logged).extracting(LogRecord::getLevel, LogRecord::getMessage).contains(
        org.assertj.core.groups.Tuple.tuple(Level.WARNING, "dead letter for 'm' (loop closed): ping"),
        org.assertj.core.groups.Tuple.tuple(Level.WARNING, "loop 'loop' blocked for 250 ms"
            + "; a callback must not block: offload blocking work with invokeBlocking"));
    assertThat(logged).filteredOn(r -> r.getLevel() == Level.SEVERE)
        .anySatisfy(r -> {
          assertThat(r.getMessage()).startsWith("unobserved failure: machine 't-1'");
          assertThat(r.getThrown()).isInstanceOf(IllegalStateException.class);
        });
  }

  @Test
  void anObserver_timesNoStep_byDefault() {
    assertThat(new LoopObserver() { }.timesNextStep()).isFalse();
  }
}
