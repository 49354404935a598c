package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.dsl.Stator;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * How a failure's recent steps name the transitions taken, without event data: a typed transition
 * by its type's simple name, a call's completion as {@code done <call>}, a call's expected error as
 * {@code error <type> of <call>}; the machine's start as {@code START}.
 */
final class FailureTraceLabelsTest {

  @Test
  void recentSteps_nameEachTransitionByItsTrigger() {
    MachineDefinition<Object> definition = Stator.<String, Object>machine("labels")
        .initial("A")
        .state("A", a -> a.on(Integer.class).goTo("B"))
        .state("B", b -> b.invoke("fetch", (c, step) -> 1).onDone("fetch").goTo("C"))
        .state("C", c -> c.invokeAsync("parse", (ctx, step) -> CompletableFuture.failedFuture(
            new IllegalStateException("bad input")), Duration.ofSeconds(5))
            .onCallError("parse", IllegalStateException.class).goTo("D"))
        .state("D", d -> d.on("boom").goTo("E"))
        .state("E", e -> e.onEntry(ctx -> {
          throw new IllegalArgumentException("entry fails");
        }))
        .build();
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(definition, new Object());
    machine.lifecycle().exceptionally(failure -> null);

    machine.send(42);
    machine.send("boom");

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    List<String> labels = machine.state().failure().recentSteps().stream()
        .map(TraceEntry::event).toList();
    // the step into E failed in its entry: the steps that completed are recorded
    assertThat(labels).containsExactly("START", "Integer", "done fetch",
        "error IllegalStateException of parse");
  }
}
