package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.dsl.Stator;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link EventLoop#close(Duration)} waits a bounded time for a loop whose callback never returns,
 * and says what it waited for: the machine, the phase and the loop thread's stack.
 */
final class BoundedCloseTest {

  @Test
  void closeWithTimeout_ofALoopHeldByACallback_reportsTheMachineAndPhase() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MachineDefinition<Object> stuck = Stator.<String, Object>machine("stuck")
        .initial("up")
        .state("up", s -> s.onEntry(c -> {
          entered.countDown();
          // bounded, so that a broken close cannot hang the build
          release.await(30, TimeUnit.SECONDS);
        }))
        .build();
    EventLoop loop = EventLoop.start("held");
    try {
      loop.start(stuck, "stuck-1", new Object());
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      Optional<Stall> waitedFor = loop.close(Duration.ofMillis(50));

      assertThat(waitedFor).isPresent();
      Stall stall = waitedFor.get();
      assertThat(stall.loop()).isEqualTo("held");
      assertThat(stall.machineId()).isEqualTo("stuck-1");
      assertThat(stall.phase()).isEqualTo(Phase.ENTRY);
      assertThat(stall.blockedFor()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
      assertThat(stall.stack()).anySatisfy(frame ->
          assertThat(frame.getClassName()).startsWith(BoundedCloseTest.class.getName()));
      assertThat(loop.isClosed()).isTrue();
    } finally {
      release.countDown();
    }
    assertThat(loop.close(Duration.ofSeconds(30))).isEmpty();
    assertThat(loop.liveMachines()).isZero();
  }

  @Test
  void closeWithTimeout_ofAnIdleLoop_returnsEmpty() {
    EventLoop loop = EventLoop.start("idle");

    assertThat(loop.close(Duration.ofSeconds(30))).isEmpty();
    assertThat(loop.isClosed()).isTrue();
  }

  @Test
  void closeWithTimeout_negative_isRefusedAndTheLoopGoesOn() {
    EventLoop loop = EventLoop.start("refusing");
    try {
      assertThatThrownBy(() -> loop.close(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-0.001S");
      assertThat(loop.isClosed()).isFalse();
    } finally {
      loop.close();
    }
  }
}
