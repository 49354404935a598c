package dev.stator;

import static dev.stator.Charts.machine;
import static dev.stator.Charts.run;
import static dev.stator.Charts.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A machine with regions, stopped, exits every active state (innermost and last first), running
 * their exit actions; and a step of such a machine that moved before an error struck is still
 * heard by listeners, so that they see an unbroken path.
 */
final class RegionsEndAndTraceTest {

  private final TestLoop loop = TestLoop.create(
      LoopOptions.DEFAULTS.withUnobservedFailureHandler(failure -> { }), 0);
  private final List<String> log = new ArrayList<>();

  private Charts.S<Object> logged(String name) {
    return Charts.<Object>state(name).exit(run(() -> log.add("exit " + name)));
  }

  @Test
  void stoppingAMachineWithRegions_exitsEveryActiveState_innermostAndLastFirst() {
    Machine<Object> machine = loop.start(machine("regions",
        logged("p").parallel().children(
            logged("left").children(logged("l1"), logged("l2")),
            logged("right").children(logged("r1")))), new Object());

    machine.stop();
    loop.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.STOPPED);
    assertThat(log).containsExactly("exit r1", "exit right", "exit l1", "exit left", "exit p");
  }

  @Test
  void aStepOfRegionsThatFailsOnEntry_isStillHeardByListeners() {
    Machine<Object> machine = loop.start(machine("fragile regions",
        Charts.<Object>state("p").parallel().children(
            Charts.<Object>state("left").children(
                Charts.<Object>state("l1").on("go", "l2"),
                Charts.<Object>state("l2").entry((context, step) -> {
                  throw new IllegalStateException("entry fails");
                })),
            Charts.<Object>state("right").children(state("r1")))), new Object());
    List<String> heard = new ArrayList<>();
    machine.addListener(new MachineListener<Object>() {
      @Override
      public void onTransition(Machine<Object> m, String from, Object event, String to) {
        heard.add(event + ": " + to);
      }
    });

    machine.send("go");
    loop.runUntilIdle();

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThat(heard).singleElement().asString().startsWith("go: ").contains("l2");
    assertThat(machine.state().failure().recentSteps()).isNotEmpty();
  }
}
