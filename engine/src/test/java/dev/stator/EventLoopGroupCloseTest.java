package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing a group from one of its own loop threads never waits for another loop (a loop thread
 * must not wait for another), yet every loop of the group closes: each one ends its machines
 * itself, once it is free to.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
final class EventLoopGroupCloseTest {

  private static final MachineDefinition<Object> IDLE = machine("idle", state("idle"));

  @Test
  void closeFromALoopThread_returnsWhileAnotherLoopIsBusy_andThatLoopClosesOnceFree()
      throws Exception {
    EventLoopGroup group = EventLoopGroup.start("busy-group", 2);
    try {
      List<Machine<Object>> machines = new ArrayList<>();
      for (EventLoop loop : group.loops()) {
        machines.add(loop.start(IDLE, new Object()));
      }
      CountDownLatch returned = new CountDownLatch(1);
      CountDownLatch busy = new CountDownLatch(1);
      // the second loop is busy until the close on the first loop's thread has returned
      group.loops().get(1).execute(() -> {
        busy.countDown();
        try {
          returned.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();

      group.loops().get(0).execute(() -> {
        group.close();
        returned.countDown();
      });

      assertThat(returned.await(10, TimeUnit.SECONDS))
          .as("close returned on a loop thread without waiting for the busy loop").isTrue();
      for (Machine<Object> machine : machines) {
        assertThat(machine.lifecycle().get(10, TimeUnit.SECONDS).status())
            .isEqualTo(Status.STOPPED);
      }
      assertThat(group.loops()).allMatch(EventLoop::isClosed);
    } finally {
      group.close();
    }
  }
}
