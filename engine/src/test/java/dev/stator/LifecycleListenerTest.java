package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every listener given to {@code start} hears how its machine ended, whenever that was. */
final class LifecycleListenerTest {

  private static final MachineDefinition<Object> IDLE = machine("idle", state("a"));

  @Test
  void listenerGivenToStart_hearsTheEnd_whenTheLoopClosesBeforeTheStartRuns() throws Exception {
    TestLoop loop = TestLoop.create();
    List<StateSnapshot> heard = new ArrayList<>();
    MachineListener<Object> listener = new MachineListener<>() {
      @Override
      public void onTerminated(Machine<Object> machine, StateSnapshot last) {
        heard.add(last);
      }
    };
    // started from another thread, the start waits in the inbox for the loop's next run
    CompletableFuture<Machine<Object>> started = CompletableFuture.supplyAsync(
        () -> loop.start(IDLE, "early", new Object(), listener));
    Machine<Object> machine = started.get(10, TimeUnit.SECONDS);

    loop.close();

    assertThat(machine.lifecycle()).isCompleted();
    assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
    assertThat(heard).containsExactly(machine.state());
  }

  @Test
  void send_afterATaskClosedTheLoop_isADeadLetter_evenFromTheLoopsOwnQueue() {
    List<DeadLetter> letters = new ArrayList<>();
    TestLoop loop = TestLoop.create(LoopOptions.DEFAULTS.withDeadLetterHandler(letters::add), 0);
    List<String> taken = new ArrayList<>();
    MachineDefinition<Object> counting = machine("counting",
        Charts.<Object>state("a").on("go", null, Charts.run(() -> taken.add("go"))));
    Machine<Object> machine = loop.start(counting, new Object());

    loop.execute(() -> {
      loop.close();
      machine.send("go");
    });

    assertThat(taken).isEmpty();
    assertThat(letters).extracting(DeadLetter::event).contains("go");
  }

  @Test
  void listenerGivenToStart_hearsTheEnd_whenACallbackClosesTheLoopBeforeTheStartRuns() {
    TestLoop loop = TestLoop.create();
    List<StateSnapshot> heard = new ArrayList<>();
    List<Machine<Object>> children = new ArrayList<>();
    MachineDefinition<Object> closer = machine("closer",
        Charts.<Object>state("a").on("close", null, (context, step) -> {
          children.add(loop.start(IDLE, "late", new Object(), new MachineListener<>() {
            @Override
            public void onTerminated(Machine<Object> machine, StateSnapshot last) {
              heard.add(last);
            }
          }));
          loop.close();
        }));
    Machine<Object> machine = loop.start(closer, new Object());

    machine.send("close");

    assertThat(children).hasSize(1);
    assertThat(children.get(0).lifecycle()).isCompleted();
    assertThat(heard).hasSize(1);
    assertThat(heard.get(0).status()).isEqualTo(Status.STOPPED);
  }
}
