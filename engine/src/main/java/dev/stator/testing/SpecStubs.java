package dev.stator.testing;

import dev.stator.MachineDefinition;
import dev.stator.model.Action;
import dev.stator.model.Invocation;
import dev.stator.model.MachineSpec;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A definition's structure with its code taken out, for exploring the states and transitions of a
 * machine whose callbacks need the outside world (sockets, files): every action does nothing,
 * every guard holds, every call returns null at once (a blocking call becomes a synchronous one,
 * so no thread is involved), and done data is null. The lists keep their lengths, so the sites a
 * {@link FaultPlan} names are the same. The recovery policy is kept as written. Stateless.
 */
final class SpecStubs {

  private SpecStubs() {}

  private static final Action<Object, Object> NOTHING = (context, step) -> { };

  static <C> MachineDefinition<C> stub(MachineDefinition<C> definition) {
    MachineSpec<C> spec = definition.spec();
    List<StateSpec<C>> states = new ArrayList<>();
    for (StateSpec<C> state : spec.states()) {
      states.add(stub(state));
    }
    return MachineDefinition.compile(new MachineSpec<>(spec.id(), spec.initial(), states,
        spec.unhandledEvents(), spec.recovery(), spec.parallel(), nothing(spec.exit()),
        spec.output() == null ? null : (context, step) -> null, stubbed(spec.invocations())));
  }

  @SuppressWarnings("unchecked")
  private static <C> List<Action<C, Object>> nothing(List<Action<C, Object>> actions) {
    return Collections.nCopies(actions.size(), (Action<C, Object>) (Action<?, Object>) NOTHING);
  }

  /** Calls that return null at once; a blocking one becomes synchronous. */
  private static <C> List<Invocation<C>> stubbed(List<Invocation<C>> calls) {
    List<Invocation<C>> invocations = new ArrayList<>();
    for (Invocation<C> invocation : calls) {
      Object call = switch (invocation.kind()) {
        case SYNC, BLOCKING -> (Invocation.Sync<C, Object>) (context, step) -> null;
        case ASYNC -> (Invocation.Async<C, Object>) (context, step) ->
            CompletableFuture.completedFuture(null);
      };
      Invocation.Kind kind = invocation.kind() == Invocation.Kind.ASYNC
          ? Invocation.Kind.ASYNC : Invocation.Kind.SYNC;
      invocations.add(new Invocation<>(invocation.id(), kind, call, invocation.timeout()));
    }
    return invocations;
  }

  private static <C> StateSpec<C> stub(StateSpec<C> state) {
    List<StateSpec<C>> children = new ArrayList<>();
    for (StateSpec<C> child : state.children()) {
      children.add(stub(child));
    }
    List<TransitionSpec<C>> transitions = new ArrayList<>();
    for (TransitionSpec<C> transition : state.transitions()) {
      transitions.add(new TransitionSpec<>(transition.trigger(),
          transition.guard() == null ? null : (context, step) -> true, transition.targets(),
          transition.internal(), nothing(transition.actions())));
    }
    return new StateSpec<>(state.name(), state.id(), state.type(), state.initial(), children,
        nothing(state.entry()), nothing(state.exit()), transitions, stubbed(state.invocations()),
        state.output() == null ? null : (context, step) -> null, state.description(),
        state.tags());
  }
}
