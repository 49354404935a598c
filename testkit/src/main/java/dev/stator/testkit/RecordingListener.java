package dev.stator.testkit;

import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.MachineListener;
import dev.stator.StateSnapshot;
import dev.stator.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A listener that keeps what it hears: every transition, every reset, and the end, for a test to
 * assert on afterwards.
 *
 * <pre>{@code
 * RecordingListener<Session> seen = new RecordingListener<>();
 * Machine<Session> machine = loop.start(definition, "s", new Session(), seen);
 * machine.send("connect");
 * assertThat(seen.states()).containsExactly("connecting", "ready");
 * }</pre>
 *
 * <p>It never throws, so it cannot disturb the machine it records.
 *
 * <p><b>Thread-safety:</b> thread-safe: the loop thread records and the test reads, each method
 * taking the listener's lock. On a real loop, read after the step that should have happened (a
 * completed lifecycle future, say) to see it.
 *
 * @param <C> the machine's context type
 */
public final class RecordingListener<C> implements MachineListener<C> {
  private final List<Transition> transitions = new ArrayList<>();
  private final List<Failure> resets = new ArrayList<>();
  private StateSnapshot end;

  /** Creates an empty recording. */
  public RecordingListener() {}

  /**
   * Records a transition.
   *
   * @param machine the machine
   * @param transition what it did
   */
  @Override
  public synchronized void onTransition(Machine<C> machine, Transition transition) {
    transitions.add(transition);
  }

  /**
   * Records a reset.
   *
   * @param machine the machine
   * @param failure the fault that caused it
   */
  @Override
  public synchronized void onReset(Machine<C> machine, Failure failure) {
    resets.add(failure);
  }

  /**
   * Records the end.
   *
   * @param machine the machine
   * @param last its final snapshot
   */
  @Override
  public synchronized void onTerminated(Machine<C> machine, StateSnapshot last) {
    end = last;
  }

  /** {@return every transition heard, in order} */
  public synchronized List<Transition> transitions() {
    return List.copyOf(transitions);
  }

  /** {@return the configuration after each transition ({@link Transition#to()}), in order} */
  public synchronized List<String> states() {
    return transitions.stream().map(Transition::to).toList();
  }

  /**
   * {@return the events of the transitions, in order, each as it prints
   * ({@code String.valueOf})}
   */
  public synchronized List<String> events() {
    return transitions.stream().map(transition -> String.valueOf(transition.event())).toList();
  }

  /** {@return the fault behind each reset, in order} */
  public synchronized List<Failure> resets() {
    return List.copyOf(resets);
  }

  /** {@return the final snapshot, once the machine's life has ended} */
  public synchronized Optional<StateSnapshot> end() {
    return Optional.ofNullable(end);
  }

  /** Forgets everything heard so far: a test's "from here on". */
  public synchronized void clear() {
    transitions.clear();
    resets.clear();
    end = null;
  }

  @Override
  public synchronized String toString() {
    return "RecordingListener[" + transitions.size() + " transitions, " + resets.size()
        + " resets" + (end == null ? "" : ", ended " + end.status()) + "]";
  }
}
