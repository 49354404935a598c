package dev.stator.dsl;

import dev.stator.DefinitionException;
import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.UnhandledEventPolicy;
import dev.stator.model.Action;
import dev.stator.model.MachineSpec;
import dev.stator.model.Output;
import dev.stator.model.StateSpec;
import dev.stator.model.StateSpec.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Builds a machine definition: its top-level states, its initial state, and what it does with
 * faults and unhandled events. Not thread-safe; use one builder from one thread, then share the
 * immutable definition it builds.
 *
 * @param <S> the type that names states
 * @param <C> the context type
 */
public final class MachineBuilder<S, C> {
  private final String id;
  private String initial;
  private final List<StateBuilder<S, C>> states = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private RecoveryPolicy<C> recovery = RecoveryPolicy.exit();
  private UnhandledEventPolicy unhandled = UnhandledEventPolicy.IGNORE;
  private boolean parallelRoot;
  private final List<Action<C, Object>> exit = new ArrayList<>();
  private Output<C> output;

  MachineBuilder(String id) {
    this.id = Objects.requireNonNull(id, "id");
  }

  /**
   * Names the initial top-level state.
   *
   * @param state the state
   * @return this builder
   */
  public MachineBuilder<S, C> initial(S state) {
    if (initial != null) {
      problems.add("initial(...) is called twice: '" + initial + "' and '" + StateBuilder.nameOf(state)
          + "'");
    }
    initial = StateBuilder.nameOf(state);
    return this;
  }

  /**
   * Adds a top-level state and describes it.
   *
   * @param state the state's name
   * @param body describes its actions, transitions and children
   * @return this builder
   */
  public MachineBuilder<S, C> state(S state, Consumer<StateBuilder<S, C>> body) {
    return add(state, Type.NORMAL, body);
  }

  private MachineBuilder<S, C> add(S state, Type type, Consumer<StateBuilder<S, C>> body) {
    Objects.requireNonNull(body, "body");
    StateBuilder<S, C> builder = new StateBuilder<>(StateBuilder.nameOf(state), type);
    body.accept(builder);
    states.add(builder);
    return this;
  }

  /**
   * Adds a top-level parallel state: its children are regions, all active at once. See
   * {@link StateBuilder#parallel}.
   *
   * @param state the state's name
   * @param body describes it and adds its regions
   * @return this builder
   */
  public MachineBuilder<S, C> parallel(S state, Consumer<StateBuilder<S, C>> body) {
    return add(state, Type.PARALLEL, body);
  }

  /**
   * Adds a top-level state with nothing to do but wait (a state whose transitions are all
   * declared on its ancestors, or that only a stop ends).
   *
   * @param state the state's name
   * @return this builder
   */
  public MachineBuilder<S, C> state(S state) {
    return state(state, s -> { });
  }

  /**
   * Adds a top-level final state: entering it completes the machine.
   *
   * @param state the state's name
   * @return this builder
   */
  public MachineBuilder<S, C> finalState(S state) {
    states.add(new StateBuilder<>(StateBuilder.nameOf(state), Type.FINAL));
    return this;
  }

  /**
   * Adds a top-level final state with entry actions.
   *
   * @param state the state's name
   * @param body may add entry actions; transitions out of a final state are refused
   * @return this builder
   */
  public MachineBuilder<S, C> finalState(S state, Consumer<StateBuilder<S, C>> body) {
    return add(state, Type.FINAL, body);
  }

  /**
   * Makes the machine's root parallel: every top-level state is a region, all entered as the
   * machine starts (so there is no {@link #initial}), and the machine completes when every region
   * is in a final state.
   *
   * @return this builder
   */
  public MachineBuilder<S, C> parallelRoot() {
    this.parallelRoot = true;
    return this;
  }

  /**
   * Adds an exit action of the machine's root: run as the machine completes, after the exit
   * actions of the states still active.
   *
   * @param action the action
   * @return this builder
   */
  public MachineBuilder<S, C> onExit(ContextAction<? super C> action) {
    Objects.requireNonNull(action, "action");
    exit.add(StateBuilder.asAction(action));
    return this;
  }

  /**
   * Sets the machine's output, computed from the context as it completes, after the root's exit
   * actions, and carried by its lifecycle future ({@link dev.stator.Termination#output()}).
   *
   * @param data computes the output; may return null
   * @return this builder
   */
  public MachineBuilder<S, C> output(Function<? super C, ?> data) {
    Objects.requireNonNull(data, "data");
    this.output = (context, step) -> data.apply(context);
    return this;
  }

  /**
   * Sets the recovery policy; the default is {@link RecoveryPolicy#exit()}.
   *
   * @param policy the policy
   * @return this builder
   */
  public MachineBuilder<S, C> recovery(RecoveryPolicy<C> policy) {
    this.recovery = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Sets what happens to events no transition accepts; the default is
   * {@link UnhandledEventPolicy#IGNORE}.
   *
   * @param policy the policy
   * @return this builder
   */
  public MachineBuilder<S, C> unhandledEvents(UnhandledEventPolicy policy) {
    this.unhandled = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Returns the specification written so far, unvalidated.
   *
   * @return the spec
   */
  public MachineSpec<C> spec() {
    List<StateSpec<C>> specs = new ArrayList<>();
    for (StateBuilder<S, C> state : states) {
      specs.add(state.toSpec(new ArrayList<>()));
    }
    return new MachineSpec<>(id, initial, specs, unhandled, recovery, parallelRoot, exit, output,
        List.of());
  }

  /**
   * Validates and compiles the definition.
   *
   * @return the immutable definition
   * @throws DefinitionException listing every problem: those of the model and those of the DSL's
   *     use (a transition without {@code goTo} or {@code stay}, say)
   */
  public MachineDefinition<C> build() {
    List<String> all = new ArrayList<>(problems);
    List<StateSpec<C>> specs = new ArrayList<>();
    for (StateBuilder<S, C> state : states) {
      specs.add(state.toSpec(all));
    }
    MachineSpec<C> spec = new MachineSpec<>(id, initial, specs, unhandled, recovery, parallelRoot,
        exit, output, List.of());
    MachineDefinition<C> definition = null;
    try {
      definition = MachineDefinition.compile(spec);
    } catch (DefinitionException e) {
      all.addAll(e.problems());
    }
    if (!all.isEmpty()) {
      throw new DefinitionException(id, all);
    }
    return definition;
  }

  @Override
  public String toString() {
    return "MachineBuilder[" + id + ", " + states.size() + " top-level states]";
  }
}
