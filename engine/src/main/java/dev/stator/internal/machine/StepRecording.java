package dev.stator.internal.machine;

import dev.stator.internal.observe.Jfr;

/**
 * Times a machine's step for the flight recorder's slow-step event, called only while a recording
 * takes it ({@link Jfr#stepsRecorded()}): the started event waits in the machine's rarely-used
 * holder until the step ends. Loop-confined.
 */
final class StepRecording {

  private StepRecording() {}

  static void begin(MachineRuntime<?> machine) {
    machine.rare().step =
        Jfr.beginStep(machine.definition.id(), machine.id(), machine.faults().configurationPath());
  }

  /** Ends the step, if its beginning was recorded (a recording may start in between). */
  static void end(MachineRuntime<?> machine) {
    Object step = machine.rare.step;
    if (step != null) {
      machine.rare.step = null;
      Jfr.endStep(step, machine.event, machine.faults().configurationPath());
    }
  }
}
