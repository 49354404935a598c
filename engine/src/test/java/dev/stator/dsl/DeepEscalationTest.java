package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.Status;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by the fault storm (FaultStormProperties, a supervision chain of 1,823+ links whose leaf
 * failed with nobody handling it): each parent's failure is a {@code MachineFailedException} whose
 * message is its {@code Failure.summary()}, and that summary quotes the message of its cause, the
 * child's exception, which quotes the grandchild's, and so on. A failure climbing n levels builds
 * and keeps reports of total length O(n²): a climb of a few thousand levels ran the test JVM out
 * of heap, which then took the loop's fatal path. RELIABILITY promises a report that is complete
 * but bounded.
 */
final class DeepEscalationTest {

  /** A link starts the next one from its entry, down to the leaf, which throws. */
  private static final class Link {
    final int level;
    final int depth;

    Link(int level, int depth) {
      this.level = level;
      this.depth = depth;
    }
  }

  private static final MachineDefinition<Link> LINK = Stator.<String, Link>machine("link")
      .initial("up")
      .state("up", s -> s.onEntry((link, step) -> {
        if (link.level + 1 < link.depth) {
          step.startChild(DeepEscalationTest.LINK, new Link(link.level + 1, link.depth));
        } else {
          throw new IllegalStateException("leaf failed");
        }
      }))
      .build();

  @Test
  void aFailureClimbingADeepChain_keepsABoundedReport() {
    List<Throwable> fatal = new ArrayList<>();
    TestLoop loop = TestLoop.create(dev.stator.LoopOptions.DEFAULTS
        .withFatalFailureHandler(f -> fatal.add(f.cause())), 0L);
    int depth = 1_000;

    Machine<Link> root = loop.start(LINK, "root", new Link(0, depth));
    loop.runUntilIdle();

    assertThat(root.state().status()).isEqualTo(Status.FAILED);
    assertThat(root.state().failure().cause()).isInstanceOf(MachineFailedException.class);
    assertThat(fatal).hasSize(1).first().isInstanceOf(MachineFailedException.class);
    // bounded like the event descriptions (200 characters): here it is about 110 per level
    assertThat(root.state().failure().summary().length()).isLessThan(2_000);
    loop.close();
  }
}
