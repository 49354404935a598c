package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rules of the fluent DSL a user leans on: every builder method returns its builder, so a whole
 * state reads as one chain; guards added one after another must all hold; {@code every} ticks
 * once a period while its state is active and never after; bad arguments are refused naming the
 * state and what was expected; builders name what they build when printed.
 */
final class DslBuilderRulesTest {

  private final TestLoop loop = TestLoop.create();

  /** The machines' context. */
  static final class Board {
    boolean first;
    boolean second;
    final List<String> log = new ArrayList<>();
  }

  @Test
  void guardsAddedOneAfterAnother_mustAllHold() {
    MachineDefinition<Board> definition = Stator.<String, Board>machine("guarded")
        .initial("A")
        .state("A", s -> s.on("go")
            .when(board -> board.first)
            .when((board, step) -> board.second)
            .goTo("B"))
        .state("B")
        .build();
    Board neither = new Board();
    Board onlyFirst = new Board();
    onlyFirst.first = true;
    Board onlySecond = new Board();
    onlySecond.second = true;
    Board both = new Board();
    both.first = true;
    both.second = true;
    List<String> reached = new ArrayList<>();

    for (Board board : List.of(neither, onlyFirst, onlySecond, both)) {
      Machine<Board> machine = loop.start(definition, board);
      machine.send("go");
      reached.add(machine.state().path());
    }

    assertThat(reached).containsExactly("A", "A", "A", "B");
  }

  @Test
  void every_ticksOncePerPeriodWhileItsStateIsActive_andNeverAfterItIsLeft() {
    Board board = new Board();
    Machine<Board> machine = loop.start(Stator.<String, Board>machine("ticking")
        .initial("ON")
        .state("ON", s -> s
            .every(Duration.ofSeconds(1), b -> b.log.add("tick"))
            .on("off").goTo("OFF"))
        .state("OFF", s -> s.on("on").goTo("ON"))
        .build(), board);

    loop.advance(Duration.ofMillis(3_500));
    machine.send("off");
    assertThat(board.log).hasSize(3);

    loop.advance(Duration.ofSeconds(10));
    assertThat(board.log).hasSize(3);
    assertThat(loop.pendingTimers()).isZero();

    machine.send("on");
    loop.advance(Duration.ofMillis(1_500));
    assertThat(board.log).hasSize(4);
  }

  @Test
  void every_refusesAPeriodThatIsNotPositive_namingItsState() {
    for (Duration period : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
      assertThatThrownBy(() -> Stator.<String, Board>machine("m")
          .initial("ON")
          .state("ON", s -> s.every(period, board -> { })))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("state 'ON'")
          .hasMessageContaining("positive period");
    }
  }

  @Test
  void idempotentOfACallTheStateDoesNotDeclare_isRefusedNamingIt() {
    assertThatThrownBy(() -> Stator.<String, Board>machine("m")
        .initial("ON")
        .state("ON", s -> s
            .invoke("known", (board, step) -> "ok")
            .idempotent("unknown")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("idempotent(\"unknown\")")
        .hasMessageContaining("declares no call 'unknown'");
  }

  @Test
  void everyBuilderMethod_returnsItsBuilder_soAStateReadsAsOneChain() {
    MachineDefinition<Board> definition = Stator.<String, Board>machine("chained")
        .initial("OUTER")
        .state("OUTER", s -> s
            .description("a state written as one chain")
            .onExit(board -> board.log.add("outer exit"))
            .every(Duration.ofMinutes(1), board -> { })
            .initial("INNER")
            .deepHistory("H")
            .state("INNER", inner -> inner.on("finish").goTo("END"))
            .finalState("END", end -> end.output(b -> "output").description("the end"))
            .onDone().goTo("DONE"))
        .finalState("DONE")
        .build();
    Board board = new Board();
    Machine<Board> machine = loop.start(definition, board);

    machine.send("finish");

    assertThat(machine.state().path()).isEqualTo("DONE");
    assertThat(board.log).containsExactly("outer exit");
  }

  @Test
  void buildersNameWhatTheyBuild() {
    List<String> printed = new ArrayList<>();
    MachineBuilder<String, Board> machine = Stator.<String, Board>machine("printed")
        .initial("A")
        .state("A", s -> {
          printed.add(s.toString());
          TransitionBuilder<String, Board, Object> open = s.on("go");
          printed.add(open.toString());
          open.goTo("B");
          printed.add(open.toString());
        })
        .state("B");
    printed.add(machine.toString());

    assertThat(printed).containsExactly("StateBuilder[A]",
        "TransitionBuilder[on go, unfinished]",
        "TransitionBuilder[on go -> [B]]",
        "MachineBuilder[printed, 2 top-level states]");
  }
}
