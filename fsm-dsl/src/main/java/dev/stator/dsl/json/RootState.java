package dev.stator.dsl.json;

import dev.stator.LifecycleEvent;
import dev.stator.Step;
import dev.stator.model.Action;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * XState's root is a state: what a document writes on it is given to the top-level states, where
 * the engine runs it at the same moments as XState does. (The root's {@code type}, {@code exit}
 * and {@code output} are the engine's own: {@link dev.stator.model.MachineSpec}.)
 *
 * <ul>
 *   <li>{@code on}, {@code always} and {@code after} transitions: every top-level state but the
 *       final ones takes them, after its own; the same written transitions, so that the regions
 *       of a parallel root take one of them once.
 *   <li>{@code entry}: run at the machine's start ({@link LifecycleEvent#START}, which a reset's
 *       new incarnation also has) before the initial top-level state's own entry actions (a
 *       parallel root's first region's), and never when that state is entered again.
 *   <li>{@code after}: each delay is a timer started at the machine's start, which outlives the
 *       top-level states ({@link Step#startTimer}) and ends with the machine; its event
 *       ({@link #timerEvent}) is taken by the root's transitions for that delay.
 * </ul>
 *
 * <p>It also reads the root's {@code type} and {@code delays}, which need nothing of the states.
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
   * Gives the root's transitions, entry, timers and exit to the top-level states.
   *
   * @param topLevel the top-level states as read
   * @param initial the initial top-level state's name, or null when it was not read
   * @param transitions the root's transitions, in document order
   * @param entry the root's entry actions
   * @param timers the root's delays, in document order, each with its key
   */
  static <C> List<StateSpec<C>> apply(List<StateSpec<C>> topLevel, String initial,
      List<TransitionSpec<C>> transitions, List<Action<C, Object>> entry,
      List<StartTimer<C>> timers) {
    String first = initial;
    if (first == null) {
      // a parallel root: its regions are entered in document order, the first one first
      first = topLevel.stream().filter(s -> !s.isHistory()).map(StateSpec::name).findFirst()
          .orElse(null);
    }
    List<StateSpec<C>> out = new ArrayList<>(topLevel.size());
    for (StateSpec<C> s : topLevel) {
      if (s.isHistory()) {
        out.add(s);
        continue;
      }
      List<Action<C, Object>> entering = new ArrayList<>();
      List<TransitionSpec<C>> taking = s.transitions();
      if (s.name().equals(first)) {
        entry.forEach(action -> entering.add(new AtStart<>(action)));
        entering.addAll(timers);
      }
      entering.addAll(s.entry());
      if (!s.finalState() && !transitions.isEmpty()) {
        taking = new ArrayList<>(s.transitions());
        taking.addAll(transitions);
      }
      out.add(new StateSpec<>(s.name(), s.id(), s.type(), s.initial(), s.children(), entering,
          s.exit(), taking, s.invocations(), s.output(), s.description(), s.tags()));
    }
    return out;
  }

  /**
   * The root's {@code delays}: name to milliseconds or a duration, the lengths of named delays the
   * bindings do not bind (the way XState's examples write them in the configuration).
   */
  static Map<String, Duration> delays(Node delays, ReadContext context) {
    if (delays == null) {
      return Map.of();
    }
    if (delays.kind != Node.Kind.OBJECT) {
      context.problem(delays, "expected an object of delay name to length, found " + delays.describe());
      return Map.of();
    }
    Map<String, Duration> out = new HashMap<>();
    for (Node.Member member : delays.members) {
      Node value = member.value();
      Duration length = switch (value.kind) {
        case INTEGER -> {
          Integer millis = context.count(value, delays, member.name());
          yield millis == null ? null : Duration.ofMillis(millis);
        }
        case STRING -> context.durationText(value.text, value, "delay \"" + member.name() + "\"");
        default -> {
          context.problem(value, "expected the length of delay \"" + member.name() + "\" in milliseconds"
              + " or as a duration (\"5s\"), found " + value.describe());
          yield null;
        }
      };
      if (length != null) {
        out.put(member.name(), length);
      }
    }
    return out;
  }

  /** The root's {@code type}: compound (the default) or parallel. */
  static boolean isParallel(Node type, ReadContext context) {
    if (type == null) {
      return false;
    }
    String value = context.string(type, "\"compound\" or \"parallel\"");
    if ("parallel".equals(value)) {
      return true;
    }
    if (value != null && !"compound".equals(value)) {
      context.problem(type, "the machine's root is \"compound\" or \"parallel\", not \"" + value + "\"");
    }
    return false;
  }

}
