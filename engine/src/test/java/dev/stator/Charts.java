package dev.stator;

import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Invocation;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Engine tests build machines from the model directly, with this small fixture, so that they test
 * the engine and nothing else: {@code Charts.machine("m", policy, state("a").on("go", "b"),
 * state("b"))}. The first state is the initial one.
 */
final class Charts {

  private Charts() {}

  /** A state under construction. */
  static final class S<C> {
    private final String name;
    private StateSpec.Type type = StateSpec.Type.NORMAL;
    private String id;
    private String historyDefault;
    private String initialChild;
    private final List<S<C>> children = new ArrayList<>();
    private final List<Action<C, Object>> entry = new ArrayList<>();
    private final List<Action<C, Object>> exit = new ArrayList<>();
    private final List<TransitionSpec<C>> transitions = new ArrayList<>();
    private final List<Invocation<C>> calls = new ArrayList<>();

    private S(String name) {
      this.name = name;
    }

    S<C> entry(Action<C, Object> action) {
      entry.add(action);
      return this;
    }

    S<C> exit(Action<C, Object> action) {
      exit.add(action);
      return this;
    }

    /** A transition with several targets (one per region). */
    S<C> onTo(Object event, String... targets) {
      transitions.add(new TransitionSpec<>(new Trigger.OnEvent(event), null, List.of(targets),
          false, List.of()));
      return this;
    }

    /** This state's own done transition. */
    S<C> onDone(String target) {
      transitions.add(new TransitionSpec<>(new Trigger.OnStateDone(), null, target, false,
          List.of()));
      return this;
    }

    S<C> always(Guard<C, Object> guard, String target) {
      transitions.add(new TransitionSpec<>(new Trigger.Always(), guard, target, false, List.of()));
      return this;
    }

    S<C> parallel() {
      type = StateSpec.Type.PARALLEL;
      return this;
    }

    S<C> history(boolean deep, String defaultTarget) {
      type = deep ? StateSpec.Type.DEEP_HISTORY : StateSpec.Type.SHALLOW_HISTORY;
      historyDefault = defaultTarget;
      return this;
    }

    /** Names the initial child (by default the first child that is not a history state). */
    S<C> initial(String child) {
      initialChild = child;
      return this;
    }

    S<C> id(String explicitId) {
      id = explicitId;
      return this;
    }

    S<C> on(Object event, String target) {
      transitions.add(new TransitionSpec<>(new Trigger.OnEvent(event), null, target, false,
          List.of()));
      return this;
    }

    S<C> on(Object event, String target, Action<C, Object> action) {
      transitions.add(new TransitionSpec<>(new Trigger.OnEvent(event), null, target, false,
          List.of(action)));
      return this;
    }

    /** A transition on any trigger, guarded or not ({@code guard} may be null). */
    S<C> when(Trigger trigger, Guard<C, Object> guard, String target) {
      transitions.add(new TransitionSpec<>(trigger, guard, target, false, List.of()));
      return this;
    }

    S<C> after(Duration delay, String target) {
      transitions.add(new TransitionSpec<>(new Trigger.After(delay), null, target, false,
          List.of()));
      return this;
    }

    S<C> onError(Class<? extends Throwable> type, Guard<C, Object> guard, String target) {
      transitions.add(new TransitionSpec<>(Trigger.OnError.of(type), guard, target, false,
          List.of()));
      return this;
    }

    S<C> call(Invocation<C> call) {
      calls.add(call);
      return this;
    }

    @SafeVarargs
    final S<C> children(S<C>... nested) {
      children.addAll(Arrays.asList(nested));
      return this;
    }

    S<C> asFinal() {
      type = StateSpec.Type.FINAL;
      return this;
    }

    StateSpec<C> spec() {
      String initial = initialChild != null ? initialChild
          : type == StateSpec.Type.NORMAL && !children.isEmpty()
          ? children.stream().filter(c -> c.type != StateSpec.Type.SHALLOW_HISTORY
              && c.type != StateSpec.Type.DEEP_HISTORY).findFirst().orElseThrow().name
          : historyDefault;
      return new StateSpec<>(name, id, type, initial, children.stream().map(S::spec).toList(),
          entry, exit, transitions, calls, null, null);
    }
  }

  static <C> S<C> state(String name) {
    return new S<>(name);
  }

  @SafeVarargs
  static <C> MachineDefinition<C> machine(String id, RecoveryPolicy<C> recovery, S<C>... states) {
    return MachineDefinition.compile(new MachineSpec<>(id, states[0].name,
        Arrays.stream(states).map(S::spec).toList(), UnhandledEventPolicy.IGNORE, recovery));
  }

  @SafeVarargs
  static <C> MachineDefinition<C> machine(String id, S<C>... states) {
    return machine(id, RecoveryPolicy.exit(), states);
  }

  /** A context-free action, for tests where the context does not matter. */
  static <C> Action<C, Object> run(Runnable body) {
    return (context, step) -> body.run();
  }
}
