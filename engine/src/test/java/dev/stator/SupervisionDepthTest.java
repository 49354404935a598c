package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RELIABILITY.md case 34: a supervision chain of any depth stops or fails at its root without
 * overflowing the stack: children end before their parents, and every lifecycle future completes.
 */
final class SupervisionDepthTest {

  private static final int DEPTH = 100_000;

  /** One link of the chain: its depth, and where it records its exit. */
  record Link(int depth, List<Integer> exits) {}

  /** The definition refers to itself through this holder (a child of the same kind). */
  private static final class Holder {
    MachineDefinition<Link> definition;
  }

  private static final Holder CHAIN_REF = new Holder();

  private static final MachineDefinition<Link> CHAIN = machine("link",
      Charts.<Link>state("up")
          .entry((link, step) -> {
            if (link.depth() < DEPTH) {
              step.startChild(CHAIN_REF.definition, new Link(link.depth() + 1, link.exits()));
            }
          })
          .exit((link, step) -> link.exits().add(link.depth()))
          .on("break", null, (link, step) -> {
            throw new IllegalStateException("the root breaks");
          }));

  static {
    CHAIN_REF.definition = CHAIN;
  }

  @Test
  @Timeout(120)
  void stoppingTheRootOfAVeryDeepChain_stopsChildrenBeforeParents_andCompletesEveryFuture() {
    List<Integer> exits = new ArrayList<>();
    TestLoop loop = TestLoop.create();
    Machine<Link> root = loop.start(CHAIN, new Link(1, exits));
    assertThat(loop.liveMachines()).isEqualTo(DEPTH);

    root.stop();

    assertThat(root.lifecycle()).isCompleted();
    assertThat(root.state().status()).isEqualTo(Status.STOPPED);
    assertThat(loop.liveMachines()).isZero();
    assertDeepestFirst(exits);
  }

  @Test
  @Timeout(120)
  void faultingTheRootOfAVeryDeepChain_stopsEveryDescendant_andCompletesEveryFuture() {
    List<Integer> exits = new ArrayList<>();
    TestLoop loop = TestLoop.create();
    Machine<Link> root = loop.start(CHAIN, new Link(1, exits));

    root.send("break");

    assertThat(root.lifecycle()).isCompletedExceptionally();
    assertThat(loop.liveMachines()).isZero();
    // the failed root runs no exit action; every descendant does, deepest first
    assertThat(exits).hasSize(DEPTH - 1);
    for (int i = 0; i < exits.size(); i++) {
      assertThat(exits.get(i)).isEqualTo(DEPTH - i);
    }
  }

  private static void assertDeepestFirst(List<Integer> exits) {
    assertThat(exits).hasSize(DEPTH);
    for (int i = 0; i < exits.size(); i++) {
      if (exits.get(i) != DEPTH - i) {
        throw new AssertionError("exit " + i + " was of depth " + exits.get(i) + ", expected "
            + (DEPTH - i));
      }
    }
  }
}
