package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.dsl.Stator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A loop runs on the thread its options' factory makes: the user's names, groups, thread-locals. */
final class LoopThreadFactoryTest {

  private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

  @Test
  void aLoop_runsEveryCallbackOnTheThreadItsFactoryMade() throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    MachineDefinition<Object> probe = Stator.<String, Object>machine("probe")
        .initial("a")
        .state("a", s -> s.onEntry(context -> seen.complete(Thread.currentThread().getName()
            + " for " + TENANT.get())))
        .build();
    LoopOptions options = LoopOptions.DEFAULTS.withThreadFactory(task -> new Thread(() -> {
      TENANT.set("acme");
      task.run();
    }, "acme-loop"));

    try (EventLoop loop = EventLoop.start("net", options)) {
      loop.start(probe, new Object());

      assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("acme-loop for acme");
      assertThat(loop.name()).isEqualTo("net");
    }
  }

  @Test
  void aFactoryThatReturnsAStartedThreadOrNull_isRefused_namingTheLoop() {
    Thread started = new Thread(() -> { });
    started.start();

    assertThatThrownBy(() -> EventLoop.start("net",
        LoopOptions.DEFAULTS.withThreadFactory(task -> null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the thread factory of loop 'net' returned null; it must return a new,"
            + " unstarted thread");
    assertThatThrownBy(() -> EventLoop.start("net",
        LoopOptions.DEFAULTS.withThreadFactory(task -> started)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned a thread already");
  }
}
