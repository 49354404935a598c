package dev.stator.internal.observe;

import dev.stator.DeadLetter;
import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.Stall;
import dev.stator.StateSnapshot;
import dev.stator.internal.text.Describe;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;

/**
 * Emits the engine's JFR events, and holds the step's switch, for JFR and for loop observers.
 * Every method may be called from any thread; the cold-path ones create their event only when
 * JFR records it, and the step's switch costs a folded constant.
 */
public final class Jfr {

  /**
   * Whether steps are timed or observed: a call site whose target is a constant, so that compiled
   * steps fold the test away and are deoptimized when it changes. True while a running recording
   * enables {@link SlowStepEvent}, or while a loop with a {@link dev.stator.LoopObserver} runs.
   */
  private static final MutableCallSite STEPS =
      new MutableCallSite(MethodHandles.constant(boolean.class, false));
  private static final MethodHandle STEPS_RECORDED = STEPS.dynamicInvoker();
  /** Whether a running recording enables the slow-step event; written under the class lock. */
  private static volatile boolean slowSteps;
  /** How many loops with an observer have started and not ended; under the class lock. */
  private static int observedLoops;

  static {
    try {
      // registering a listener does not start the recorder; it is told of every recording that
      // starts or stops (and on registration, if the recorder already runs)
      FlightRecorder.addListener(new FlightRecorderListener() {
        @Override
        public void recorderInitialized(FlightRecorder recorder) {
          update();
        }

        @Override
        public void recordingStateChanged(Recording recording) {
          update();
        }
      });
    } catch (Throwable unavailable) {
      // a JVM without JFR, or a security manager refusing it: steps are never timed for JFR
    }
  }

  private Jfr() {
  }

  private static synchronized void update() {
    boolean on;
    try {
      on = EventType.getEventType(SlowStepEvent.class).isEnabled();
    } catch (Throwable unavailable) {
      on = false;
    }
    slowSteps = on;
    switchSteps();
  }

  /** Sets the call site's target from the two reasons to look at steps; under the class lock. */
  private static void switchSteps() {
    boolean on = slowSteps || observedLoops > 0;
    if (on != stepsRecorded()) {
      STEPS.setTarget(MethodHandles.constant(boolean.class, on));
      MutableCallSite.syncAll(new MutableCallSite[] {STEPS});
    }
  }

  /**
   * Counts a loop with an observer in or out: while one runs, steps are looked at.
   *
   * @param started true as such a loop starts, false as it ends
   */
  static synchronized void observedLoop(boolean started) {
    observedLoops += started ? 1 : -1;
    switchSteps();
  }

  /**
   * Whether steps are looked at: true only while a running recording enables the slow-step
   * event, or while a loop with an observer runs. The step's only cost when false is this folded
   * constant.
   *
   * @return whether to call the step's recording at its beginning and end
   */
  public static boolean stepsRecorded() {
    try {
      return (boolean) STEPS_RECORDED.invokeExact();
    } catch (Throwable impossible) {
      throw new AssertionError(impossible);
    }
  }

  /**
   * Whether a running recording enables the slow-step event: {@link #beginStep} is then called.
   *
   * @return whether to time steps for JFR
   */
  public static boolean slowStepsRecorded() {
    return slowSteps;
  }

  /**
   * Begins timing a step; call only when {@link #slowStepsRecorded()}.
   *
   * @param definition the machine's definition id
   * @param machineId the machine's id
   * @param fromState the configuration the step starts from
   * @return the started event, for {@link #endStep}
   */
  public static Object beginStep(String definition, String machineId, String fromState) {
    SlowStepEvent step = new SlowStepEvent();
    step.definition = definition;
    step.machineId = machineId;
    step.fromState = fromState;
    step.begin();
    return step;
  }

  /**
   * Ends a step begun by {@link #beginStep}; commits it when it ran past the threshold.
   *
   * @param started what {@code beginStep} returned
   * @param event the event the step took (described only if committed)
   * @param toState the configuration the step ended in
   */
  public static void endStep(Object started, Object event, String toState) {
    SlowStepEvent step = (SlowStepEvent) started;
    step.end();
    if (step.shouldCommit()) {
      step.event = Describe.event(event);
      step.toState = toState;
      step.commit();
    }
  }

  /**
   * A machine started.
   *
   * @param definition the definition id
   * @param machine the machine, whose id is asked for only when the event is recorded
   * @param loop the loop's name
   */
  public static void machineStarted(String definition, Machine<?> machine, String loop) {
    MachineStartedEvent e = new MachineStartedEvent();
    if (e.isEnabled()) {
      e.definition = definition;
      // asked for only when recorded: a machine's id string is made on first request, and an
      // idle machine that never needs it does not keep one
      e.machineId = machine.id();
      e.loop = loop;
      e.commit();
    }
  }

  /**
   * A machine ended.
   *
   * @param definition the definition id
   * @param machineId the machine id
   * @param last its last state
   */
  public static void machineEnded(String definition, String machineId, StateSnapshot last) {
    MachineEndedEvent e = new MachineEndedEvent();
    if (e.isEnabled()) {
      e.definition = definition;
      e.machineId = machineId;
      e.status = last.status().name();
      e.state = last.path();
      Failure failure = last.failure();
      if (failure != null) {
        e.exceptionType = failure.cause().getClass().getName();
      }
      e.commit();
    }
  }

  /**
   * A machine faulted.
   *
   * @param definition the definition id
   * @param failure the fault's report
   */
  public static void fault(String definition, Failure failure) {
    FaultEvent e = new FaultEvent();
    if (e.isEnabled()) {
      e.definition = definition;
      e.machineId = failure.machineId();
      e.phase = failure.phase().name();
      e.state = failure.state();
      e.callbackState = failure.callbackState();
      e.event = failure.event();
      e.exceptionType = failure.cause().getClass().getName();
      e.exceptionMessage = failure.cause().getMessage();
      e.restartCount = failure.restartCount();
      e.commit();
    }
  }

  /**
   * A recovery policy settled on a verdict.
   *
   * @param definition the definition id
   * @param machineId the machine id
   * @param verdict RESET, SHUTDOWN or EXIT
   * @param restartCount the restarts made, counting a reset's own
   * @param cause the fault recovered from
   */
  public static void recovery(String definition, String machineId, String verdict,
      int restartCount, Throwable cause) {
    RecoveryEvent e = new RecoveryEvent();
    if (e.isEnabled()) {
      e.definition = definition;
      e.machineId = machineId;
      e.verdict = verdict;
      e.restartCount = restartCount;
      e.exceptionType = cause.getClass().getName();
      e.commit();
    }
  }

  /**
   * The watchdog found the loop stalled.
   *
   * @param stall the watchdog's report
   */
  public static void stall(Stall stall) {
    LoopStallEvent e = new LoopStallEvent();
    if (e.isEnabled()) {
      e.loop = stall.loop();
      e.machineId = stall.machineId();
      e.phase = stall.phase() == null ? null : stall.phase().name();
      e.blockedFor = stall.blockedFor().toNanos();
      e.commit();
    }
  }

  /**
   * An event became a dead letter.
   *
   * @param loop the loop's name
   * @param letter the dead letter
   */
  public static void deadLetter(String loop, DeadLetter letter) {
    DeadLetterEvent e = new DeadLetterEvent();
    if (e.isEnabled()) {
      e.loop = loop;
      e.machineId = letter.machineId();
      e.event = Describe.event(letter.event());
      e.reason = letter.reason();
      e.commit();
    }
  }
}
