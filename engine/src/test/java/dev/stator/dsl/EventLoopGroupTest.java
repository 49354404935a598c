package dev.stator.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.EventLoop;
import dev.stator.EventLoopGroup;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class EventLoopGroupTest {

  static final MachineDefinition<List<String>> RECORDING = Stator.<String, List<String>>machine("rec")
      .initial("S")
      .state("S", s -> s.on("where").then(threads -> threads.add(Thread.currentThread().getName())).stay())
      .build();

  @Test
  void theSameKey_alwaysMapsToTheSameLoop_andKeysSpreadOverTheLoops() {
    try (EventLoopGroup group = EventLoopGroup.start("grp", 2)) {
      Map<EventLoop, Integer> counts = new HashMap<>();
      for (int i = 0; i < 10_000; i++) {
        String key = "client-" + i;
        assertThat(group.loopFor(key)).isSameAs(group.loopFor("client-" + i));
        counts.merge(group.loopFor(key), 1, Integer::sum);
      }
      Map<EventLoop, Integer> sequentialInts = new HashMap<>();
      for (int i = 0; i < 10_000; i++) {
        sequentialInts.merge(group.loopFor(i * 2), 1, Integer::sum);
      }

      assertThat(counts.values()).hasSize(2).allSatisfy(n -> assertThat(n).isBetween(4_500, 5_500));
      assertThat(sequentialInts.values()).hasSize(2).allSatisfy(n -> assertThat(n).isBetween(4_500, 5_500));
      assertThat(group.loops()).extracting(EventLoop::name).containsExactly("grp-0", "grp-1");
    }
  }

  @Test
  void aMachineRunsOnTheLoopItsIdMapsTo_andClosingTheGroupEndsEveryMachine() throws Exception {
    List<Machine<List<String>>> machines = new ArrayList<>();
    List<List<String>> seen = new ArrayList<>();
    EventLoopGroup group = EventLoopGroup.start("place", 2);
    for (int i = 0; i < 20; i++) {
      List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
      seen.add(threads);
      Machine<List<String>> machine = group.start(RECORDING, "m-" + i, threads);
      machine.send("where");
      machines.add(machine);
    }
    // a task sent after the events reaches each loop after them: one sender keeps its order
    CompletableFuture<?>[] barriers = group.loops().stream().map(loop -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      loop.execute(() -> done.complete(null));
      return done;
    }).toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(barriers).get(10, TimeUnit.SECONDS);

    for (int i = 0; i < machines.size(); i++) {
      assertThat(seen.get(i)).containsExactly(group.loopFor("m-" + i).name());
    }
    group.close();

    for (Machine<List<String>> machine : machines) {
      assertThat(machine.lifecycle().get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.STOPPED);
    }
    assertThat(group.loops()).allMatch(EventLoop::isClosed);
    assertThatThrownBy(() -> group.start(RECORDING, "late", new ArrayList<>()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingTheGroupFromOneOfItsLoopThreads_beginsEveryCloseWithoutWaiting() throws Exception {
    EventLoopGroup group = EventLoopGroup.start("self", 2);
    List<Machine<List<String>>> machines = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      machines.add(group.start(RECORDING, "m-" + i, new ArrayList<>()));
    }
    java.util.concurrent.CountDownLatch returned = new java.util.concurrent.CountDownLatch(1);

    group.loops().get(0).execute(() -> {
      group.close();
      returned.countDown();
    });

    assertThat(returned.await(10, TimeUnit.SECONDS)).as("close returned on the loop thread").isTrue();
    group.close();
    for (Machine<List<String>> machine : machines) {
      assertThat(machine.lifecycle().get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.STOPPED);
    }
  }

  @Test
  void aGroupNeedsAtLeastOneLoop() {
    assertThatThrownBy(() -> EventLoopGroup.start("none", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a loop group needs at least one loop, not 0");
  }
}
