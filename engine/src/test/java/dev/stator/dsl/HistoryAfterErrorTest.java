package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.testing.TestLoop;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What a history state remembers when an expected error leaves its parent with nothing active
 * inside: the parent keeps what it remembered from its last exit that had something active, so a
 * throw halfway through a step never makes a history forget the configuration it last really had.
 */
final class HistoryAfterErrorTest {

  private final TestLoop loop = TestLoop.create();

  /** A flaky callback: throws the first time {@code counter} reaches {@code throwAt}. */
  private static void flaky(Recorder r, int throwAt, String what) {
    if (r.counter++ == throwAt) {
      throw new IllegalStateException(what);
    }
  }

  private static StateBuilder<String, Recorder> out(StateBuilder<String, Recorder> s) {
    return s.on("back").goTo("work/h");
  }

  /** work (a, b, shallow history h) and out; {@code flakiness} adds work's throwing callback. */
  private static MachineDefinition<Recorder> work(String name,
      UnaryOperator<StateBuilder<String, Recorder>> flakiness) {
    return Stator.<String, Recorder>machine(name)
        .initial("work")
        .state("work", w -> flakiness.apply(w.initial("a"))
            .onError(IllegalStateException.class).goTo("out")
            .on("leave").goTo("out")
            .history("h")
            .state("a", a -> a.on("next").goTo("b"))
            .state("b"))
        .state("out", HistoryAfterErrorTest::out)
        .build();
  }

  @Test
  void exitThrowingAfterItsChildLeft_keepsTheChildTheParentWasLeftWith() {
    Machine<Recorder> machine = loop.start(
        work("exit-throws", w -> w.onExit(r -> flaky(r, 0, "flaky exit"))), new Recorder());

    machine.send("next");
    // b's exit runs, then work's exit throws: the handler leaves work with nothing active in it
    machine.send("leave");
    assertThat(machine.state().path()).isEqualTo("out");
    machine.send("back");

    assertThat(machine.state().path()).isEqualTo("work/b");
  }

  @Test
  void entryThrowingBeforeAnyChild_keepsWhatTheParentRememberedBefore() {
    // the first entry of work passes (counter 0), the second throws (counter 1)
    Machine<Recorder> machine = loop.start(
        work("entry-throws", w -> w.onEntry(r -> flaky(r, 1, "flaky entry"))), new Recorder());
    machine.send("next");
    machine.send("leave");

    // work's entry throws before b is entered again: work is left with nothing active in it
    machine.send("back");
    assertThat(machine.state().path()).isEqualTo("out");
    machine.send("back");

    assertThat(machine.state().path()).isEqualTo("work/b");
  }

  @Test
  void deepHistory_remembersACompoundChildWhoseEntryThrew_andEntersItByDefault() {
    MachineDefinition<Recorder> definition = Stator.<String, Recorder>machine("deep-entry-throws")
        .initial("work")
        .state("work", w -> w.initial("a")
            .onError(IllegalStateException.class).goTo("out")
            .deepHistory("h")
            .state("a", a -> a.on("next").goTo("b"))
            .state("b", b -> b.initial("b1")
                // the first entry of b throws, before any child of b is active
                .onEntry(r -> flaky(r, 0, "flaky entry of b"))
                .state("b1", b1 -> b1.on("deeper").goTo("b2"))
                .state("b2")))
        .state("out", HistoryAfterErrorTest::out)
        .build();
    Machine<Recorder> machine = loop.start(definition, new Recorder());

    machine.send("next");
    assertThat(machine.state().path()).isEqualTo("out");
    machine.send("back");

    // work was left with b active and nothing inside b: b is what it had, entered by default
    assertThat(machine.state().path()).isEqualTo("work/b/b1");
  }
}
