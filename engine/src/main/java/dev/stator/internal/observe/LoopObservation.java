package dev.stator.internal.observe;

import dev.stator.DeadLetter;
import dev.stator.EventLoop;
import dev.stator.Failure;
import dev.stator.LoopClock;
import dev.stator.LoopObserver;
import java.util.Objects;
import java.util.function.Function;

/**
 * A loop's {@link LoopObserver}, and the one place the engine calls it from: it times the steps
 * the observer asks for, on the loop's clock, and isolates what the observer throws. Made by the
 * loop as it starts, only when its options name an observer; while it lives, steps are looked at
 * ({@link Jfr#stepsRecorded()}).
 *
 * <p>Loop-confined, except {@link #deadLetter}, which any thread may call.
 */
public final class LoopObservation {

  private static final System.Logger LOG = System.getLogger("dev.stator");

  private final LoopObserver observer;
  private final LoopClock clock;
  private final String loop;
  private boolean timing;
  private long began;
  private boolean ended;

  private LoopObservation(LoopObserver observer, LoopClock clock, String loop) {
    this.observer = observer;
    this.clock = clock;
    this.loop = loop;
  }

  /**
   * Makes a loop's observation, or returns null when its options name no observer.
   *
   * @param observers the options' factory of observers, or null
   * @param loop the loop as users see it
   * @param clock the loop's time source
   * @return the observation, or null
   * @throws NullPointerException if the factory returns null
   */
  public static LoopObservation start(Function<? super EventLoop, ? extends LoopObserver> observers,
      EventLoop loop, LoopClock clock) {
    if (observers == null) {
      return null;
    }
    LoopObserver observer = Objects.requireNonNull(observers.apply(loop),
        "LoopOptions.withObserver: the factory returned null for loop '" + loop.name()
            + "'; expected an observer");
    LoopObservation observation = new LoopObservation(observer, clock, loop.name());
    Jfr.observedLoop(true);
    return observation;
  }

  /** A step begins: times it if the observer asks. */
  public void stepBegins() {
    try {
      timing = observer.timesNextStep();
      if (timing) {
        began = clock.nanoTime();
      }
    } catch (Throwable e) {
      timing = false;
      threw(e);
    }
  }

  /**
   * A step ended.
   *
   * @param definitionId the machine's definition id
   */
  public void stepEnded(String definitionId) {
    long nanos = -1;
    if (timing) {
      timing = false;
      nanos = Math.max(0, clock.nanoTime() - began);
    }
    try {
      observer.stepEnded(definitionId, nanos);
    } catch (Throwable e) {
      threw(e);
    }
  }

  /**
   * A machine faulted.
   *
   * @param definitionId its definition id
   * @param failure the fault's report
   */
  public void faulted(String definitionId, Failure failure) {
    try {
      observer.faulted(definitionId, failure);
    } catch (Throwable e) {
      threw(e);
    }
  }

  /**
   * A machine's policy reset it.
   *
   * @param definitionId its definition id
   * @param failure the fault it recovers from
   */
  public void restarted(String definitionId, Failure failure) {
    try {
      observer.restarted(definitionId, failure);
    } catch (Throwable e) {
      threw(e);
    }
  }

  /**
   * An event became a dead letter. Any thread.
   *
   * @param letter the dead letter
   */
  public void deadLetter(DeadLetter letter) {
    try {
      observer.deadLetter(letter);
    } catch (Throwable e) {
      threw(e);
    }
  }

  /**
   * The loop ended; the first call tells the observer, later ones do nothing. Never throws: what
   * the observer throws is logged.
   */
  public void loopEnded() {
    if (ended) {
      return;
    }
    ended = true;
    Jfr.observedLoop(false);
    try {
      observer.loopEnded();
    } catch (Throwable e) {
      // the loop is ending, on its fatal path perhaps: nothing is left to stop, so even a
      // VirtualMachineError is only logged
      log(e);
    }
  }

  /** Logs what the observer threw; a {@link VirtualMachineError} but a stack overflow goes on. */
  private void threw(Throwable t) {
    if (t instanceof VirtualMachineError fatal && !(t instanceof StackOverflowError)) {
      throw fatal;
    }
    log(t);
  }

  private void log(Throwable t) {
    try {
      LOG.log(System.Logger.Level.ERROR, "the observer of loop '" + loop + "' threw; the loop goes"
          + " on", t);
    } catch (Throwable ignored) {
      // reporting must never throw
    }
  }
}
