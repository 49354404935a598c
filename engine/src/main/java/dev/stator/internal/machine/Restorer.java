package dev.stator.internal.machine;

import dev.stator.Failure;
import dev.stator.LifecycleEvent;
import dev.stator.Status;
import dev.stator.durable.CallLostException;
import dev.stator.durable.Durability;
import dev.stator.durable.ImageRefusedException;
import dev.stator.durable.MachineImage;
import dev.stator.durable.RestoreOptions;
import dev.stator.durable.ResumeMode;
import dev.stator.internal.definition.CompiledDefinition;
import dev.stator.internal.definition.StateNode;
import dev.stator.internal.definition.TransitionNode;
import dev.stator.internal.text.Describe;
import dev.stator.model.Invocation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Restores a machine from its {@link MachineImage}: on the caller's thread, checks that the image
 * fits the definition (or has the user's migration make it fit), reads the context and resolves
 * every path to a state; then, on the loop thread, resumes the machine without running an entry
 * action: the configuration and history memory, the timers at the deadlines the resume mode
 * gives, the restart history, and the calls that were in flight (started again when idempotent,
 * otherwise completed with a {@link CallLostException}).
 */
final class Restorer {
  private Restorer() {
  }

  /** An image resolved against its definition, ready to resume on the loop. */
  record Plan(MachineImage image, ResumeMode mode, Durability<?> durability, BitSet configuration,
      StateNode leaf, Map<StateNode, StateNode[]> history, List<Timer> timers, List<Call> calls,
      Failure failure) {}

  /** A pending timer resolved: its state and delayed transition, or its event. */
  record Timer(MachineImage.PendingTimer image, StateNode state, TransitionNode delayed,
      Object event) {}

  /** A call in flight resolved: its state and invocation. */
  record Call(StateNode state, Invocation<Object> invocation) {}

  static <C> MachineRuntime<C> restore(LoopServices loop, CompiledDefinition<C> definition,
      MachineImage image, Durability<C> durability, RestoreOptions options) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(options, "options");
    if (!image.definitionId().equals(definition.id())) {
      throw new ImageRefusedException(image, List.of("it was taken from definition '"
          + image.definitionId() + "', not '" + definition.id() + "'"));
    }
    MachineImage fitting = image;
    Fit fit = new Fit(definition, fitting);
    if (!fit.problems.isEmpty()) {
      fitting = Objects.requireNonNull(options.migration().migrate(image,
          List.copyOf(fit.problems)), "the migration returned null");
      fit = new Fit(definition, fitting);
      if (!fit.problems.isEmpty()) {
        throw new ImageRefusedException(fitting, fit.problems);
      }
    }
    C context;
    try {
      context = durability.codec().decode(fitting.context());
    } catch (Exception unreadable) {
      ImageRefusedException refused = new ImageRefusedException(fitting,
          List.of("its context could not be read by the codec: " + Describe.throwable(unreadable)));
      refused.initCause(unreadable);
      throw refused;
    }
    if (loop.isClosed()) {
      throw new IllegalStateException("loop '" + loop.name() + "' is closed; cannot restore"
          + " machine '" + fitting.machineId() + "'");
    }
    Plan plan = new Plan(fitting, options.resume(), durability, fit.configuration, fit.leaf,
        fit.history, fit.timers, fit.calls,
        fitting.failure() == null ? null : fitting.failure().toFailure());
    MachineRuntime<C> machine = new MachineRuntime<>(loop, definition, fitting.machineId(), 0,
        context, null);
    if (!loop.submit(machine, new Control.Restore(plan))) {
      machine.endings().abandon();
    }
    return machine;
  }

  // ---------------------------------------------------------------- on the loop thread

  static void resume(MachineRuntime<?> m, Plan plan) {
    MachineImage image = plan.image;
    LoopServices core = m.core;
    if (image.restartCount() > 0 || !image.restarts().isEmpty()) {
      m.faults().recovery().restore(image.restartCount(), image.restarts(),
          at -> core.now() + nanosBetween(core.instantOf(core.now()), at));
    }
    switch (image.status()) {
      case RUNNING -> resumeRunning(m, plan);
      case FAILED -> {
        boolean restartDue = plan.timers.stream()
            .anyMatch(t -> t.image.kind() == MachineImage.TimerKind.RESTART);
        m.status = Status.FAILED;
        if (restartDue) {
          m.faults().recovery().awaitRestart(plan.failure);
          m.publishEnded(new dev.stator.StateSnapshot(Status.FAILED, plan.failure.state(),
              plan.failure));
          schedule(m, plan);
        } else {
          m.endings().restoredFailed(plan.failure);
        }
      }
      default -> {
        m.endings().finishRestored(image.status(), image.activeStates());
      }
    }
    // after the resume: the restored image is what the store holds already
    m.rare().durable = new DurableMachine(plan.durability, image.steps());
  }

  private static void resumeRunning(MachineRuntime<?> m, Plan plan) {
    m.status = Status.RUNNING;
    m.event = LifecycleEvent.START;
    m.resetMicrosteps();
    boolean outer = m.enterStep();
    try {
      if (m.definition.statechart) {
        Statechart chart = new Statechart(m.definition, m);
        m.rare().chart = chart;
        chart.restore(plan.configuration, plan.history);
      }
      m.leafIndex = plan.leaf.index;
      schedule(m, plan);
      for (Call call : plan.calls) {
        if (call.invocation.idempotent()) {
          m.phase = MachineRuntime.P_CALL;
          m.leafIndex = call.state.index;
          m.calls().start(call.state, call.invocation);
        } else {
          m.calls().lost(call.state, call.invocation.id(), new CallLostException("call '"
              + call.invocation.id() + "' of state " + call.state.path() + " was in flight when"
              + " the image of machine '" + m.id() + "' was taken; its result is lost, and it is"
              + " not declared idempotent, so it was not started again"));
        }
      }
      m.leafIndex = plan.leaf.index;
      if (m.status == Status.RUNNING) {
        m.drainRaised();
      }
    } catch (Throwable t) {
      m.faults().handle(t);
    } finally {
      m.exitStep(outer);
    }
  }

  private static void schedule(MachineRuntime<?> m, Plan plan) {
    LoopServices core = m.core;
    long now = core.now();
    Instant wallNow = core.instantOf(now);
    for (Timer timer : plan.timers) {
      MachineImage.PendingTimer t = timer.image;
      long offset = switch (plan.mode) {
        case ORIGINAL_DEADLINE -> nanosBetween(wallNow, t.deadline());
        case REMAINING_TIME -> nanosBetween(plan.image.takenAt(), t.deadline());
        case RESTART -> t.kind() == MachineImage.TimerKind.STATE_TIMEOUT
            ? saturated(t.delay()) : nanosBetween(plan.image.takenAt(), t.deadline());
      };
      long deadline = offset > 0 && now > Long.MAX_VALUE - offset ? Long.MAX_VALUE
          : offset < 0 && now < Long.MIN_VALUE - offset ? Long.MIN_VALUE : now + offset;
      switch (t.kind()) {
        case STATE_TIMEOUT -> m.timers().armRestored(timer.state, timer.delayed, deadline);
        case ACTION -> m.timers().scheduleAt(new MachineTimer(m, MachineTimer.Kind.ACTION,
            m.incarnation, null, null, timer.event), deadline);
        case RESTART -> m.timers().scheduleAt(new MachineTimer(m, MachineTimer.Kind.RESTART,
            m.incarnation, null, null, null), deadline);
      }
    }
  }

  static long nanosBetween(Instant from, Instant to) {
    return saturated(Duration.between(from, to));
  }

  private static long saturated(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException huge) {
      return duration.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }

  // ---------------------------------------------------------------- does the image fit?

  /** Resolves an image's paths against a definition, listing what does not fit. */
  private static final class Fit {
    final List<String> problems = new ArrayList<>();
    final BitSet configuration = new BitSet();
    StateNode leaf;
    final Map<StateNode, StateNode[]> history = new LinkedHashMap<>();
    final List<Timer> timers = new ArrayList<>();
    final List<Call> calls = new ArrayList<>();
    private final Map<String, StateNode> byPath = new HashMap<>();
    private final CompiledDefinition<?> definition;

    Fit(CompiledDefinition<?> definition, MachineImage image) {
      this.definition = definition;
      for (StateNode state : definition.states) {
        byPath.put(state.path(), state);
      }
      boolean running = image.status() == Status.RUNNING;
      if (running) {
        configuration(image.activeStates());
      }
      image.history().forEach((path, kept) -> {
        StateNode historyState = state(path, "history memory");
        if (historyState != null && !historyState.isHistory()) {
          problems.add("history memory names state " + path + ", which is not a history state");
        } else if (historyState != null) {
          List<StateNode> states = new ArrayList<>();
          for (String keptPath : kept) {
            StateNode keptState = state(keptPath, "the memory of history " + path);
            if (keptState != null) {
              states.add(keptState);
            }
          }
          history.put(historyState, states.toArray(new StateNode[0]));
        }
      });
      for (MachineImage.PendingTimer timer : image.timers()) {
        timer(timer, running, image.status());
      }
      for (MachineImage.InFlightCall call : image.calls()) {
        call(call, running);
      }
      for (MachineImage.RestartMark mark : image.restarts()) {
        if (definition.policyAt(mark.policy()) == null) {
          problems.add("a restart was counted by recovery policy #" + mark.policy()
              + ", which the definition's recovery policy does not have");
        }
      }
    }

    private StateNode state(String path, String where) {
      StateNode state = byPath.get(path);
      if (state == null) {
        problems.add(where + " names state " + path + ", which the definition does not have");
      }
      return state;
    }

    private void configuration(List<String> leaves) {
      if (leaves.isEmpty()) {
        problems.add("a running machine's image names no active state");
        return;
      }
      if (!definition.statechart && leaves.size() > 1) {
        problems.add("it names " + leaves.size() + " active leaves, but the definition has no"
            + " parallel states");
      }
      for (String path : leaves) {
        StateNode state = state(path, "the configuration");
        if (state == null) {
          continue;
        }
        if (!state.isAtomic() || state.isHistory()) {
          problems.add("the configuration names state " + path + " as an active leaf, but it "
              + (state.isHistory() ? "is a history state" : "has child states"));
          continue;
        }
        if (leaf == null) {
          leaf = state;
        }
        for (StateNode s = state; s != null; s = s.parent) {
          configuration.set(s.index);
        }
      }
      if (problems.isEmpty()) {
        whole();
      }
    }

    /**
     * Every active compound state has one active child; every active parallel one, all; and the
     * root has one active top-level state, or for a parallel root all.
     */
    private void whole() {
      int top = 0;
      for (int i = configuration.nextSetBit(0); i >= 0; i = configuration.nextSetBit(i + 1)) {
        StateNode s = definition.states[i];
        top += s.parent == null ? 1 : 0;
        int regions = 0;
        int active = 0;
        for (StateNode child : s.children) {
          if (!child.isHistory()) {
            regions++;
            active += configuration.get(child.index) ? 1 : 0;
          }
        }
        if (regions > 0 && (s.isParallel() ? active != regions : active != 1)) {
          problems.add("the configuration is not whole: state " + s.path() + " has " + active
              + " of its " + regions + (s.isParallel() ? " regions" : " children") + " active");
        }
      }
      int regions = definition.parallelRoot ? definition.initialPath.length : 1;
      if (top != regions) {
        problems.add("the configuration is not whole: " + top + " top-level states are active;"
            + " expected " + (definition.parallelRoot ? "all " + regions + " regions of the"
                + " parallel root" : "one"));
      }
    }

    private void timer(MachineImage.PendingTimer timer, boolean running, Status status) {
      switch (timer.kind()) {
        case STATE_TIMEOUT -> {
          StateNode state = state(timer.state(), "a state timeout");
          if (state == null) {
            return;
          }
          if (!running || !configuration.get(state.index)) {
            problems.add("a timeout of state " + timer.state() + " is pending, but the state is"
                + " not active");
          } else if (timer.index() < 0 || timer.index() >= state.after.length) {
            problems.add("timeout #" + timer.index() + " of state " + timer.state()
                + " is pending, but the state has " + state.after.length + " delayed transitions");
          } else {
            timers.add(new Timer(timer, state, state.after[timer.index()], null));
          }
        }
        case ACTION -> {
          Object event = event(timer);
          if (event != null && running) {
            timers.add(new Timer(timer, null, null, event));
          }
        }
        case RESTART -> {
          if (status != Status.FAILED) {
            problems.add("a restart is pending, but the machine is " + status + ", not FAILED");
          } else {
            timers.add(new Timer(timer, null, null, null));
          }
        }
      }
    }

    /** The event of an action's timer: a string, or a constant of an enum the definition names. */
    private Object event(MachineImage.PendingTimer timer) {
      if (timer.eventEnum() == null) {
        return timer.event();
      }
      for (Class<?> type : knownEnums()) {
        if (type.getName().equals(timer.eventEnum())) {
          for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(timer.event())) {
              return constant;
            }
          }
          problems.add("a timer's event " + timer.event() + " is not a constant of "
              + timer.eventEnum());
          return null;
        }
      }
      problems.add("a timer's event " + timer.event() + " is of enum " + timer.eventEnum()
          + ", which the definition does not name (an image may only name enums the definition"
          + " uses as events)");
      return null;
    }

    private List<Class<?>> knownEnums() {
      List<Class<?>> enums = new ArrayList<>();
      if (definition.eventEnum != null) {
        enums.add(definition.eventEnum);
      }
      for (StateNode state : definition.states) {
        if (state.enumClass != null && !enums.contains(state.enumClass)) {
          enums.add(state.enumClass);
        }
      }
      return enums;
    }

    private static String of(MachineImage.InFlightCall call) {
      return call.state().isEmpty() ? "of the machine's root" : "of state " + call.state();
    }

    private void call(MachineImage.InFlightCall call, boolean running) {
      // the root's calls are written with the root's path, ""
      StateNode state = call.state().isEmpty() ? definition.root
          : state(call.state(), "call '" + call.id() + "'");
      if (state == null) {
        return;
      }
      if (!running || (state != definition.root && !configuration.get(state.index))) {
        problems.add("call '" + call.id() + "' " + of(call) + " is in flight, but "
            + (state == definition.root ? "the machine is not running"
                : "the state is not active"));
        return;
      }
      for (Invocation<Object> invocation : state.invocations) {
        if (invocation.id().equals(call.id())) {
          calls.add(new Call(state, invocation));
          return;
        }
      }
      problems.add("call '" + call.id() + "' " + of(call) + " is in flight, but "
          + (state == definition.root ? "the root" : "the state") + " declares no such call");
    }
  }
}
