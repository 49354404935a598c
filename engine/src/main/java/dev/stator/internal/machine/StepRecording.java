package dev.stator.internal.machine;

import dev.stator.internal.observe.Jfr;
import dev.stator.internal.observe.LoopObservation;

/**
 * Looks at a machine's step, called only while something does ({@link Jfr#stepsRecorded()}): a
 * recording that takes the flight recorder's slow-step event, whose started event waits in the
 * machine's rarely-used holder until the step ends, and the loop's observer, if it has one
 * ({@link LoopServices#observation()}). Loop-confined.
 */
final class StepRecording {

  private StepRecording() {}

  static void begin(MachineRuntime<?> machine) {
    if (Jfr.slowStepsRecorded()) {
      machine.rare().step =
          Jfr.beginStep(machine.definition.id(), machine.id(), machine.faults().configurationPath());
    }
    LoopObservation observation = machine.core.observation();
    if (observation != null) {
      observation.stepBegins();
    }
  }

  /** Ends the step, if its beginning was recorded (a recording may start in between). */
  static void end(MachineRuntime<?> machine) {
    Object step = machine.rare.step;
    if (step != null) {
      machine.rare.step = null;
      Jfr.endStep(step, machine.event, machine.faults().configurationPath());
    }
    LoopObservation observation = machine.core.observation();
    if (observation != null) {
      observation.stepEnded(machine.definition.id());
    }
  }
}
