package dev.stator.internal.machine;

import dev.stator.EventLoop;
import dev.stator.Failure;
import dev.stator.LifecycleEvent;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.Phase;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.Step;
import dev.stator.StepLimitException;
import dev.stator.Termination;
import dev.stator.TimerHandle;
import dev.stator.TraceEntry;
import dev.stator.internal.definition.CompiledDefinition;
import dev.stator.internal.definition.StateNode;
import dev.stator.internal.definition.TransitionNode;
import dev.stator.internal.observe.Jfr;
import dev.stator.model.Action;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A running machine: the one place where a step is taken and where every throwable from user code
 * lands.
 *
 * <p>Everything but the {@link Machine} methods is loop-confined. A step runs the transition
 * (exits innermost first, actions, entries outermost first), then eventless transitions, then the
 * events raised during the step. A throwable from a callback either matches an expected-error
 * transition of the active states, which is then taken with the throwable as its event, or is a
 * fault: the step stops where it is, the machine enters FAILED and its recovery policy runs once.
 * Listener notifications are queued during the step and delivered after it.
 */
public final class MachineRuntime<C> extends MachineQuietFields<C> implements Machine<C>,
    Step<Object> {

  private static final VarHandle PUBLISHED;
  private static final VarHandle LISTENERS;
  private static final VarHandle LIFECYCLE;
  private static final VarHandle ENDED;
  static final Phase[] PHASES = Phase.values();
  // Phases are stored as bytes: a reference store on every step would cost a GC write barrier.
  private static final byte P_START = (byte) Phase.START.ordinal();
  static final byte P_DISPATCH = (byte) Phase.DISPATCH.ordinal();
  private static final byte P_GUARD = (byte) Phase.GUARD.ordinal();
  static final byte P_EXIT = (byte) Phase.EXIT.ordinal();
  static final byte P_ACTION = (byte) Phase.ACTION.ordinal();
  private static final byte P_ENTRY = (byte) Phase.ENTRY.ordinal();
  private static final byte P_EVENTLESS = (byte) Phase.EVENTLESS.ordinal();
  static final byte P_TIMER = (byte) Phase.TIMER.ordinal();
  static final byte P_CALL = (byte) Phase.CALL.ordinal();
  static final byte P_STOP = (byte) Phase.STOP.ordinal();
  static final byte P_RECOVERY = (byte) Phase.RECOVERY.ordinal();

  static {
    try {
      LISTENERS = MethodHandles.lookup().findVarHandle(MachineQuietFields.class, "listeners",
          MachineListeners.class);
      PUBLISHED = MethodHandles.lookup().findVarHandle(MachineRuntime.class, "published",
          int.class);
      LIFECYCLE = MethodHandles.lookup().findVarHandle(MachineSenderFields.class, "lifecycle",
          LifecycleFuture.class);
      ENDED = MethodHandles.lookup().findVarHandle(MachineQuietFields.class, "ended",
          StateSnapshot.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The fields are in three groups, laid out in this order (a superclass's fields come first):
  // what a sending thread reads (MachineSenderFields), what a step leaves alone
  // (MachineQuietFields), and, here, what a step writes. The middle group keeps the last group
  // 64 bytes or more from the first, so a send never waits for a cache line the loop has just
  // written by stepping the machine; CacheLineLayoutTest checks the offsets.

  /**
   * The published state: the index of the active leaf while running (written with release, read
   * with acquire: a plain store on the hot path, and no reference store for the GC to track), or
   * -1 when {@link #ended} holds the snapshot.
   */
  @SuppressWarnings("unused")
  private int published = -1;

  // Everything below is confined to the loop thread.

  /** The innermost active state's index, -1 for none; an int so that steps store no references. */
  int leafIndex = -1;
  Object event;
  byte phase = P_START;
  /** The definition's {@code statechart}, kept here: the step tests it without a dependent load. */
  private final boolean statechart;
  /** The configuration a transition started from: reported when a fault strikes between states. */
  int stepSource = -1;
  /** The transition being taken (-1 for the initial entry), or {@link #NOT_TAKING}. */
  int taking = NOT_TAKING;
  static final int NOT_TAKING = -2;
  /** The next slot of {@link #trace} and how many hold steps; see {@link #record}. */
  private int traceNext;
  private int traceCount;

  /** Returns this machine's own holder, creating it on the first store. */
  MachineRare rare() {
    MachineRare own = rare;
    if (own == NONE) {
      own = new MachineRare();
      rare = own;
    }
    return own;
  }

  /**
   * Creates a machine.
   *
   * @param id the id the user gave, or null for one generated from the definition's id and
   *     {@code serial}, built only when something asks for it (a million idle machines then hold
   *     no id strings)
   */
  MachineRuntime(LoopServices core, CompiledDefinition<C> definition, String id, int serial,
      C context, MachineRuntime<?> parent) {
    super(core, definition, serial);
    this.statechart = definition.statechart;
    this.id = id;
    this.context = context;
    this.parent = parent;
  }

  // ---------------------------------------------------------------- Machine (any thread)

  @Override
  public String id() {
    String known = id;
    if (known == null) {
      // a benign race: every thread builds the same immutable string
      known = definition.id() + "-" + Integer.toUnsignedString(serial);
      id = known;
    }
    return known;
  }

  @Override
  public MachineDefinition<C> definition() {
    return definition;
  }

  @Override
  public EventLoop loop() {
    return core.facade();
  }

  @Override
  public boolean send(Object event) {
    Objects.requireNonNull(event, "event");
    // on the loop thread a running machine is known without reading the future's volatile state
    if (core.inLoop() && status == Status.RUNNING) {
      if (!core.submitOnLoop(this, event)) {
        core.deadLetter(id(), event, "loop '" + core.name() + "' is closed");
        return false;
      }
      return true;
    }
    if (ended()) {
      core.deadLetter(id(), event, "machine has ended: " + state());
      return false;
    }
    if (!core.submit(this, event)) {
      core.deadLetter(id(), event, "loop '" + core.name() + "' is closed");
      return false;
    }
    return true;
  }

  @Override
  public CompletableFuture<Void> sendDurably(Object event) {
    return DurableMachine.send(this, event);
  }

  @Override
  public CompletableFuture<dev.stator.durable.MachineImage> snapshot(
      dev.stator.durable.ContextCodec<? super C> codec) {
    return Images.request(this, codec);
  }

  @Override
  public StateSnapshot state() {
    int index = (int) PUBLISHED.getAcquire(this);
    return index >= 0 ? definition.states[index].running() : ended;
  }

  void publishEnded(StateSnapshot snapshot) {
    ended = snapshot;
    PUBLISHED.setRelease(this, -1);
  }

  /** The lifecycle future, made now if nothing asked for it before. Any thread. */
  @Override
  @SuppressWarnings("unchecked")
  public LifecycleFuture<C> lifecycle() {
    LifecycleFuture<C> known = lifecycle;
    if (known != null) {
      return known;
    }
    LifecycleFuture<C> made = new LifecycleFuture<>(core, this);
    LifecycleFuture<C> witness = (LifecycleFuture<C>) LIFECYCLE.compareAndExchange(this, null, made);
    return witness == null ? made : witness;
  }

  /**
   * Whether the lifecycle future has completed, asked without making it (its end makes it). Any
   * thread; public for the test loop.
   */
  public boolean ended() {
    LifecycleFuture<C> known = lifecycle;
    return known != null && known.isDone();
  }

  /** Whether anything waits on the lifecycle future: asked for it, and hung a stage on it. */
  boolean lifecycleObserved() {
    LifecycleFuture<C> known = lifecycle;
    return known != null && known.getNumberOfDependents() > 0;
  }

  @Override
  public CompletableFuture<Termination<C>> stop() {
    if (!ended()) {
      core.submit(this, Control.STOP);
    }
    return lifecycle();
  }

  @Override
  public synchronized void addListener(MachineListener<? super C> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners = listeners.with(listener);
  }

  @Override
  public synchronized boolean removeListener(MachineListener<? super C> listener) {
    MachineListeners<C> fewer = listeners.without(listener);
    if (fewer == listeners) {
      return false;
    }
    listeners = fewer;
    return true;
  }

  @Override
  public String toString() {
    return "Machine " + id() + " [" + state() + "]";
  }

  // ---------------------------------------------------------------- Step (loop thread, in a step)

  @Override
  public Object event() {
    return event;
  }

  @Override
  public Machine<?> machine() {
    return this;
  }

  @Override
  public void raise(Object event) {
    Objects.requireNonNull(event, "event");
    checkInLoop("raise an event");
    if (rare.raised == null) {
      rare().raised = new ArrayDeque<>();
    }
    rare.raised.add(event);
  }

  @Override
  public TimerHandle startTimer(Duration delay, Object event) {
    return MachineTimers.startActionTimer(this, delay, event);
  }

  @Override
  public <D> Machine<D> startChild(MachineDefinition<D> childDefinition, D childContext) {
    return Children.start(this, childDefinition, childContext);
  }

  @Override
  public dev.stator.IoRegistration registerIo(String name,
      java.nio.channels.SelectableChannel channel, int ops, boolean machineScoped)
      throws java.io.IOException {
    return MachineIo.register(this, name, channel, ops, machineScoped);
  }

  @Override
  public long nanoTime() {
    return core.now();
  }

  /** The phase of the step in progress, for stall reports (read from the watchdog's thread). */
  public Phase currentPhase() {
    return PHASES[phase];
  }

  /** Throws unless the machine runs: {@code what} names what it cannot do otherwise. */
  void checkRunning(String what) {
    if (status != Status.RUNNING) {
      throw new IllegalStateException("machine '" + id() + "' is " + status + "; cannot " + what);
    }
  }

  void checkInLoop(String what) {
    if (!core.inLoop()) {
      throw new IllegalStateException("cannot " + what + " of machine '" + id() + "' from thread '"
          + Thread.currentThread().getName() + "': only on its loop thread, inside a callback");
    }
  }

  // ---------------------------------------------------------------- delivery (loop thread)

  /** Whether {@code item} may skip the loop's queue: a plain event for a running machine. */
  public boolean takesDirectly(Object item) {
    return status == Status.RUNNING && !(item instanceof Control);
  }

  /** Delivers one event or control from the loop's queues. */
  public void deliver(Object item) {
    if (item instanceof Control control) {
      Controls.take(this, control);
    } else if (status == Status.RUNNING) {
      step(item, null);
    } else if (status == Status.STARTING && !ended()) {
      // sent from the loop thread while the start was still in the inbox: keep the order
      if (rare.early == null) {
        rare().early = new ArrayDeque<>();
      }
      rare.early.add(item);
    } else {
      core.deadLetter(id(), item, "machine is " + status);
    }
  }

  void begin() {
    status = Status.RUNNING;
    stepSource = -1;
    taking = -1;
    event = LifecycleEvent.START;
    phase = P_START;
    resetMicrosteps();
    boolean outer = enterStep();
    try {
      if (definition.statechart) {
        Statechart chart = new Statechart(definition, this);
        rare().chart = chart;
        taking = NOT_TAKING;
        chart.enterInitial();
      } else {
        for (StateNode state : definition.initialPath) {
          enter(state);
        }
        afterTransition(-1, -1, true);
      }
      // the root's calls, made once the machine is in its initial states, last as long as it does
      for (dev.stator.model.Invocation<Object> invocation : definition.root.invocations) {
        if (status == Status.RUNNING) {
          phase = P_CALL;
          calls().start(definition.root, invocation);
        }
      }
      if (status == Status.RUNNING) {
        settle();
        drainRaised();
      }
    } catch (Throwable t) {
      faults().handle(t);
    } finally {
      exitStep(outer);
    }
  }

  void step(Object ev, TransitionNode timed) {
    resetMicrosteps();
    boolean outer = enterStep();
    try {
      if (timed == null) {
        process(ev);
      } else {
        event = ev;
        phase = P_TIMER;
        if (timed.guard == null || guardHolds(timed)) {
          if (rare.chart != null) {
            rare.chart.microstep(List.of(timed));
          } else {
            take(timed);
          }
          settle();
        }
      }
      drainRaised();
    } catch (Throwable t) {
      faults().handle(t);
    } finally {
      exitStep(outer);
    }
  }

  boolean enterStep() {
    boolean outer = core.beginStep(this);
    // a constant the compiler folds: when no recording takes slow steps, nothing more is done
    if (outer && Jfr.stepsRecorded()) {
      StepRecording.begin(this);
    }
    return outer;
  }

  void exitStep(boolean outer) {
    if (outer) {
      core.endStep(status != Status.RUNNING);
    }
    if (Thread.interrupted() && status == Status.RUNNING) {
      faults().fault(new InterruptedException("a callback of machine '" + id()
          + "' left the loop thread's interrupt flag set; the loop cleared it"));
    }
    // each is stored only when it changed (only the loop thread writes them, so a plain read sees
    // its own last store), with release: a volatile store would fence every step
    if (status == Status.RUNNING) {
      if (!statechart) {
        if (published != leafIndex) {
          PUBLISHED.setRelease(this, leafIndex);
        }
      } else {
        // a statechart's snapshot is the same object while its configuration stays
        StateSnapshot now = rare.chart.snapshot();
        if (now != ended) {
          ENDED.setRelease(this, now);
        }
      }
    }
    if (rare.notifications != null && !rare.notifications.isEmpty()) {
      MachineListeners.deliverPending(this);
    }
    if (outer && rare.durable != null) {
      rare.durable.stepEnded(this);
    }
    // the step's listener calls are part of its time
    if (outer && Jfr.stepsRecorded()) {
      StepRecording.end(this);
    }
  }

  private void process(Object ev) throws Exception {
    if (ev instanceof CallCompletion completion) {
      if (!rare.calls.accept(completion)) {
        return;
      }
      if (completion.error != null) {
        event = completion;
        phase = P_CALL;
        throw CallCompletion.<RuntimeException>sneaky(completion.error);
      }
      ev = new dev.stator.CallDone(completion.call.id, completion.value);
    }
    // a machine often takes the same event again (an enum constant): not storing it again spares
    // the collector's write barrier
    if (event != ev) {
      event = ev;
    }
    phase = P_DISPATCH;
    if (statechart) {
      Statechart chart = rare.chart;
      List<TransitionNode> enabled = chart.select(ev);
      if (enabled.isEmpty()) {
        unhandled(ev);
        return;
      }
      chart.microstep(enabled);
      settle();
      return;
    }
    TransitionNode transition = select(ev);
    if (transition == null) {
      unhandled(ev);
      return;
    }
    take(transition);
    settle();
  }

  /** An event no transition takes: ignored, unless the policy or the event asks for more. */
  private void unhandled(Object ev) {
    if (definition.unhandled != dev.stator.UnhandledEventPolicy.IGNORE
        || ev instanceof dev.stator.ChildTerminated) {
      faults().unhandled(ev);
    }
  }

  private TransitionNode select(Object ev) throws Exception {
    TransitionNode[] candidates;
    CompiledDefinition<C> machine = definition;
    if (ev.getClass() == machine.eventEnum) {
      int cell = leafIndex * machine.eventCount + ((Enum<?>) ev).ordinal();
      TransitionNode sole = machine.sole[cell];
      if (sole != null) {
        return sole;
      }
      candidates = machine.dispatch[cell];
    } else {
      StateNode state = leaf();
      if (ev.getClass() == state.enumClass) {
        candidates = state.byOrdinal[((Enum<?>) ev).ordinal()];
      } else {
        candidates = state.byValue.isEmpty() ? null : state.byValue.get(lookupKey(ev));
      }
    }
    if (candidates != null) {
      for (TransitionNode t : candidates) {
        if (t.guard == null || guardHolds(t)) {
          return t;
        }
      }
      return null;
    }
    for (TransitionNode t : leaf().byType) {
      if (t.accepts(ev) && (t.guard == null || guardHolds(t))) {
        return t;
      }
    }
    return null;
  }

  /** Done events are found by their name, so that a transition on the string matches them too. */
  static Object lookupKey(Object ev) {
    return ev instanceof dev.stator.StateDone done ? done.name() : ev;
  }

  /** The done data of a final state just entered, or null. */
  Object output(StateNode finalState) throws Exception {
    if (finalState.output == null) {
      return null;
    }
    leafIndex = finalState.index;
    phase = P_ENTRY;
    return finalState.output.compute(context, this);
  }

  boolean guardHolds(TransitionNode t) throws Exception {
    phase = P_GUARD;
    return t.guard.test(context, this);
  }

  void take(TransitionNode t) throws Exception {
    int from = leafIndex;
    stepSource = from;
    taking = t.index;
    if (t.target != null) {
      for (StateNode state = leaf(); state != t.domain; state = state.parent) {
        exit(state);
        leafIndex = state.parent == null ? -1 : state.parent.index;
      }
    }
    phase = P_ACTION;
    runActions(t.actions);
    if (t.target != null) {
      for (StateNode state : t.entryPath) {
        enter(state);
      }
      // the same index the last entry stored, but read from the transition itself: the next
      // step's lookup then waits on one load, not on the whole entry path
      leafIndex = t.targetLeaf;
    }
    afterTransition(from, t.index, t.target != null);
  }

  /** Runs a state's exit actions, then ends what its activation started. */
  void exit(StateNode state) throws Exception {
    phase = P_EXIT;
    runActions(state.exit);
    if (timers != null) {
      timers.exited(state);
    }
    if (rare.calls != null && rare.calls.pending()) {
      rare.calls.cancel(state);
    }
    if (rare.io != null && rare.io.active()) {
      rare.io.cancel(state);
    }
  }

  StateNode leaf() {
    return leafIndex < 0 ? null : definition.states[leafIndex];
  }

  void enter(StateNode state) throws Exception {
    leafIndex = state.index;
    phase = P_ENTRY;
    runActions(state.entry);
    if (state.after.length > 0) {
      timers().armTimeouts(state, incarnation, core.firingChain());
    }
    for (dev.stator.model.Invocation<Object> invocation : state.invocations) {
      phase = P_CALL;
      calls().start(state, invocation);
    }
  }

  MachineCalls calls() {
    MachineCalls calls = rare.calls;
    if (calls == null) {
      calls = new MachineCalls(core, callbacks());
      rare().calls = calls;
    }
    return calls;
  }

  void runActions(Action<Object, Object>[] actions) throws Exception {
    for (Action<Object, Object> action : actions) {
      action.execute(context, this);
    }
  }

  private void afterTransition(int from, int transition, boolean entered) throws Exception {
    taking = NOT_TAKING;
    record(from, transition, leafIndex);
    StateNode leaf;
    if (entered && definition.hasFinalStates && (leaf = leaf()).isFinal) {
      if (leaf.parent == null) {
        endings().complete(List.of(leaf), List.of(leaf.path()), leaf.tagsWithAncestors());
      } else {
        raise(leaf.doneEvent != null ? leaf.doneEvent
            : new dev.stator.StateDone(leaf.parent.id(), output(leaf)));
      }
    }
  }

  void settle() throws Exception {
    if (!definition.hasEventless) {
      return;
    }
    Statechart chart = rare.chart;
    if (chart != null) {
      while (status == Status.RUNNING) {
        List<TransitionNode> enabled = chart.select(null);
        if (enabled.isEmpty()) {
          return;
        }
        microstep();
        chart.microstep(enabled);
      }
      return;
    }
    while (status == Status.RUNNING) {
      TransitionNode chosen = null;
      for (TransitionNode t : leaf().always) {
        if (t.guard == null || guardHolds(t)) {
          chosen = t;
          break;
        }
      }
      if (chosen == null) {
        return;
      }
      microstep();
      take(chosen);
    }
  }

  void drainRaised() throws Exception {
    while (rare.raised != null && !rare.raised.isEmpty() && status == Status.RUNNING) {
      Object next = rare.raised.poll();
      microstep();
      process(next);
    }
  }

  /** Begins a step's count of microsteps; writes only when a step before took some. */
  void resetMicrosteps() {
    if (microsteps != 0) {
      microsteps = 0;
    }
  }

  void microstep() {
    if (++microsteps > core.options().maxMicrosteps()) {
      phase = P_EVENTLESS;
      throw new StepLimitException("machine '" + id() + "' took more than "
          + core.options().maxMicrosteps() + " eventless transitions and raised events in one step;"
          + " last in state " + faults().configurationPath() + " (a chain that never settles?)");
    }
  }

  void record(int from, int transition, int to) {
    int length = core.options().traceLength();
    if (length > 0) {
      if (trace == null || (traceCount == trace.length >> 1 && traceCount < length)) {
        growTrace(length);
      }
      int at = traceNext << 1;
      trace[at] = core.turnTime();
      trace[at + 1] = StepTrace.pack(transition, from, to);
      traceNext = traceNext + 1 == trace.length >> 1 ? 0 : traceNext + 1;
      if (traceCount < length) {
        traceCount++;
      }
    }
    // opaque: no fence on the step's path, yet a listener added by another thread is seen soon
    if (!((MachineListeners<?>) LISTENERS.getOpaque(this)).isEmpty()) {
      if (rare.notifications == null) {
        rare().notifications = new ArrayList<>();
      }
      rare.notifications.add(
          MachineListeners.describe(definition, rare.chart, event, from, transition, to));
    }
  }

  /** Grows the ring for one more step; the steps so far stay in order from slot 0. */
  private void growTrace(int length) {
    trace = StepTrace.grow(trace, length);
    traceNext = traceCount;
  }

  List<TraceEntry> trace() {
    return StepTrace.entries(definition, trace, traceNext, traceCount);
  }


  // ---------------------------------------------------------------- timers

  MachineTimers timers() {
    MachineTimers made = timers;
    if (made == null) {
      made = new MachineTimers(core, this, definition.delayedTransitions);
      timers = made;
    }
    return made;
  }

  // ---------------------------------------------------------------- faults and recovery

  /** Returns the machine's fault path, made at its first use. */
  Faults faults() {
    Faults faults = rare.faults;
    if (faults == null) {
      faults = new Faults(this);
      rare().faults = faults;
    }
    return faults;
  }

  /** Returns how the machine ends, made at its first use; the loop ends machines through it. */
  @SuppressWarnings("unchecked")
  public Endings<C> endings() {
    Endings<C> endings = (Endings<C>) rare.endings;
    if (endings == null) {
      endings = new Endings<>(this);
      rare().endings = endings;
    }
    return endings;
  }

  Callbacks callbacks() {
    Callbacks callbacks = rare.callbacks;
    if (callbacks == null) {
      callbacks = new Callbacks(this);
      rare().callbacks = callbacks;
    }
    return callbacks;
  }

  /**
   * Begins the loop's fatal path with this machine as the culprit (once: later calls only unwind)
   * and returns the error for the caller to throw, so that every frame between here and the loop's
   * turn unwinds without running another line of user code: a parent stopping its children, say,
   * must not go on to its own exit actions once a child's exit broke the JVM.
   */
  VirtualMachineError fatal(VirtualMachineError error) {
    core.fatal(this, error);
    return error;
  }
}
