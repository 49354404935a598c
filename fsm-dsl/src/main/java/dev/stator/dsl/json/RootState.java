package dev.stator.dsl.json;

import dev.stator.LifecycleEvent;
import dev.stator.Step;
import dev.stator.model.Action;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * XState's root is a state: what a document writes on it is given to the top-level states, where
 * the engine runs it at the same moments as XState does.
 *
 * <ul>
 *   <li>{@code on}, {@code always} and {@code after} transitions: every top-level state but the
 *       final ones takes them, after its own.
 *   <li>{@code entry}: run at the machine's start ({@link LifecycleEvent#START}, which a reset's
 *       new incarnation also has) before the initial top-level state's own entry actions, and
 *       never when that state is entered again.
 *   <li>{@code after}: each delay is a timer started at the machine's start, which outlives the
 *       top-level states ({@link Step#startTimer}) and ends with the machine; its event
 *       ({@link #timerEvent}) is taken by the root's transitions for that delay.
 *   <li>{@code exit}, and the exit actions of a top-level final state: XState exits every active
 *       state when the machine completes, the final state first and the root last. Entering a
 *       top-level final state completes a Stator machine at once, so these run right after the
 *       final state's entry actions.
 * </ul>
 *
 * <p>Each callback made here is a record that keeps what it wraps, for {@link JsonMachineWriter}.
 * Immutable.
 */
final class RootState {

  private RootState() {}

  /**
   * The event of a timer of the root's {@code after}, for the delay written as {@code key}: the
   * name XState gives it, {@code xstate.after.<key>.<machine id>}. A String, so that a durable
   * machine's image keeps the timer, and so that, as in XState, a {@code "*"} transition of the
   * active state takes it first.
   */
  static String timerEvent(String key, String machineId) {
    return "xstate.after." + key + "." + machineId;
  }

  /** An action of the root's {@code entry}: run at the machine's start only. */
  record AtStart<C>(Action<C, Object> action) implements Action<C, Object> {
    @Override
    public void execute(C context, Step<Object> step) throws Exception {
      if (step.event() == LifecycleEvent.START) {
        action.execute(context, step);
      }
    }
  }

  /**
   * Starts the timer of one delay of the root's {@code after}, written as {@code key}, at the
   * machine's start.
   */
  record StartTimer<C>(String key, Duration delay, String event) implements Action<C, Object> {
    @Override
    public void execute(C context, Step<Object> step) {
      if (step.event() == LifecycleEvent.START) {
        step.startTimer(delay, event);
      }
    }
  }

  /**
   * An exit action run as the machine completes: a top-level final state's own ({@code root}
   * false) or the root's.
   */
  record AtCompletion<C>(Action<C, Object> action, boolean root) implements Action<C, Object> {
    @Override
    public void execute(C context, Step<Object> step) throws Exception {
      action.execute(context, step);
    }
  }

  /**
   * Gives the root's transitions, entry, timers and exit to the top-level states.
   *
   * @param topLevel the top-level states as read
   * @param initial the initial top-level state's name, or null when it was not read
   * @param transitions the root's transitions, in document order
   * @param entry the root's entry actions
   * @param timers the root's delays, in document order, each with its key
   * @param exit the root's exit actions
   */
  static <C> List<StateSpec<C>> apply(List<StateSpec<C>> topLevel, String initial,
      List<TransitionSpec<C>> transitions, List<Action<C, Object>> entry,
      List<StartTimer<C>> timers, List<Action<C, Object>> exit) {
    List<StateSpec<C>> out = new ArrayList<>(topLevel.size());
    for (StateSpec<C> s : topLevel) {
      if (s.isHistory()) {
        out.add(s);
        continue;
      }
      List<Action<C, Object>> entering = new ArrayList<>();
      List<Action<C, Object>> exiting = s.exit();
      List<TransitionSpec<C>> taking = s.transitions();
      if (s.name().equals(initial)) {
        entry.forEach(action -> entering.add(new AtStart<>(action)));
        entering.addAll(timers);
      }
      entering.addAll(s.entry());
      if (s.finalState()) {
        s.exit().forEach(action -> entering.add(new AtCompletion<>(action, false)));
        exit.forEach(action -> entering.add(new AtCompletion<>(action, true)));
        exiting = List.of();
      } else if (!transitions.isEmpty()) {
        taking = new ArrayList<>(s.transitions());
        taking.addAll(transitions);
      }
      out.add(new StateSpec<>(s.name(), s.id(), s.type(), s.initial(), s.children(), entering,
          exiting, taking, s.invocations(), s.output(), s.description(), s.tags()));
    }
    return out;
  }
}
