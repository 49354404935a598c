package dev.stator.internal.machine;

import dev.stator.Step;
import dev.stator.internal.definition.DefinitionCompiler;
import dev.stator.internal.definition.StateNode;
import dev.stator.model.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;

/**
 * The calls of one machine that a state's activation started and that have not completed yet:
 * it starts them, takes their completions back on the loop thread (or reports a stale one as a
 * dead letter), times them out, and cancels them when their state is left or the machine ends.
 *
 * <p>Loop-confined, but for the completions of asynchronous and blocking calls, which any thread
 * hands to {@link LoopServices#submit}. Made when the machine starts its first call (most machines
 * never do); it reaches its machine only through {@link Owner}.
 */
final class MachineCalls {

  /** What the calls need of their machine. */
  interface Owner {
    String id();

    Object context();

    /** The current incarnation: a completion of an earlier one is stale. */
    int incarnation();

    /** The step handed to a call's code (the machine itself). */
    Step<Object> step();

    /** Schedules a machine timer of the current incarnation. */
    MachineTimer schedule(MachineTimer.Kind kind, StateNode owner, Object event, long delayNanos);

    boolean cancelTimer(MachineTimer timer);

    /** Queues an event or a completion for the machine, from any thread. */
    boolean submit(Object item);
  }

  private final LoopServices core;
  private final Owner machine;
  private final List<PendingCall> pending = new ArrayList<>();
  /** The call whose start is running (or last ran), for a failure report naming it. */
  private String starting;

  MachineCalls(LoopServices core, Owner machine) {
    this.core = core;
    this.machine = machine;
  }

  /** The call whose start ran last, for a fault during CALL that no completion explains. */
  String starting() {
    return starting;
  }

  /** Whether any call is pending. */
  boolean pending() {
    return !pending.isEmpty();
  }

  /** Starts the call {@code invocation} of the activation of {@code state} just entered. */
  @SuppressWarnings("unchecked")
  void start(StateNode state, Invocation<Object> invocation) throws Exception {
    starting = invocation.id();
    PendingCall call = new PendingCall(invocation.id(), state, machine.incarnation());
    call.started = core.now();
    pending.add(call);
    if (invocation.timeout() != null) {
      call.timeout = machine.schedule(MachineTimer.Kind.CALL_TIMEOUT, state, call,
          DefinitionCompiler.saturatedNanos(invocation.timeout()));
    }
    switch (invocation.kind()) {
      case SYNC -> {
        Object value = ((Invocation.Sync<Object, Object>) invocation.call())
            .call(machine.context(), machine.step());
        machine.step().raise(new CallCompletion(call, value, null));
      }
      case ASYNC -> {
        CompletionStage<Object> stage = ((Invocation.Async<Object, Object>) invocation.call())
            .start(machine.context(), machine.step());
        Objects.requireNonNull(stage, () -> "call '" + invocation.id() + "' of machine '"
            + machine.id() + "' returned a null stage");
        try {
          call.cancel = stage.toCompletableFuture();
        } catch (UnsupportedOperationException notCancellable) {
          call.cancel = null;
        }
        stage.whenComplete((value, error) ->
            complete(new CallCompletion(call, value, CallCompletion.unwrap(error))));
      }
      case BLOCKING -> {
        Callable<Object> work = ((Invocation.Blocking<Object, Object>) invocation.call())
            .prepare(machine.context());
        Objects.requireNonNull(work, () -> "call '" + invocation.id() + "' of machine '"
            + machine.id() + "' prepared null work");
        FutureTask<Void> task = new FutureTask<>(() -> {
          Object value;
          try {
            value = work.call();
          } catch (Throwable t) {
            if (!call.cancelled) {
              complete(new CallCompletion(call, null, t));
            }
            return;
          }
          if (!call.cancelled) {
            complete(new CallCompletion(call, value, null));
          }
        }, null);
        call.cancel = task;
        core.blockingExecutor().execute(task);
      }
    }
  }

  /**
   * Sends a completion back to the loop from any thread; a closed loop makes it a dead letter. The
   * engine's own cancellation (the state was left, the machine ended) goes nowhere: nobody waits
   * for it, and after the machine's end it would be a dead letter that no one caused.
   */
  private void complete(CallCompletion completion) {
    if (completion.call.cancelled && completion.error instanceof CancellationException) {
      return;
    }
    if (!machine.submit(completion)) {
      core.deadLetter(machine.id(), completion, "loop '" + core.name() + "' closed before call '"
          + completion.call.id + "' completed");
    }
  }

  /** Takes a completion if its call is still pending in this incarnation, else reports it. */
  boolean accept(CallCompletion completion) {
    PendingCall call = completion.call;
    if (call.cancelled && completion.error instanceof CancellationException) {
      return false;
    }
    if (completion.byTimeout
        ? call.finished : call.finished || call.incarnation != machine.incarnation()) {
      core.deadLetter(machine.id(), completion, "call '" + call.id + "' completed after "
          + (call.owner.index < 0 ? "the machine's incarnation that made it ended"
              : "its state " + call.owner.path() + " was left"));
      return false;
    }
    call.finished = true;
    pending.remove(call);
    if (call.timeout != null) {
      machine.cancelTimer(call.timeout);
    }
    return true;
  }

  /**
   * The timeout of {@code call} expired: cancels its work and returns the completion to step on,
   * or null when the call is over already or the machine no longer runs.
   */
  CallCompletion timedOut(PendingCall call, boolean running) {
    call.timeout = null;
    if (!running || call.finished) {
      return null;
    }
    if (call.cancel != null) {
      call.cancelled = true;
      call.cancel.cancel(true);
    }
    return CallCompletion.timedOut(call, new TimeoutException("call '" + call.id
        + "' of machine '" + machine.id() + "' did not complete in time"));
  }

  /** The calls in flight, for the machine's image. */
  List<dev.stator.durable.MachineImage.InFlightCall> images() {
    List<dev.stator.durable.MachineImage.InFlightCall> calls = new ArrayList<>(pending.size());
    for (PendingCall call : pending) {
      calls.add(new dev.stator.durable.MachineImage.InFlightCall(call.owner.path(), call.id,
          core.instantOf(call.started)));
    }
    return calls;
  }

  /**
   * A call that was in flight when the machine's image was taken, and may not be started again:
   * it is pending once more, and completes at once with {@code lost} as its error.
   */
  void lost(StateNode state, String id, Throwable lost) {
    PendingCall call = new PendingCall(id, state, machine.incarnation());
    call.started = core.now();
    pending.add(call);
    complete(new CallCompletion(call, null, lost));
  }

  /** Cancels the calls of the activation of {@code state}, or every call for null. */
  void cancel(StateNode state) {
    for (int i = pending.size() - 1; i >= 0; i--) {
      PendingCall call = pending.get(i);
      if (state == null || call.owner == state) {
        pending.remove(i);
        call.finished = true;
        if (call.cancel != null) {
          call.cancelled = true;
          call.cancel.cancel(true);
        }
      }
    }
  }
}
