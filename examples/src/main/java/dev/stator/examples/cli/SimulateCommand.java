package dev.stator.examples.cli;

import dev.stator.DeadLetter;
import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineListener;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.dsl.json.DurationText;
import dev.stator.dsl.json.JsonMachine;
import dev.stator.internal.text.Printable;
import dev.stator.testing.TestLoop;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code stator simulate FILE --event NAME...}: runs the machine on a test loop with virtual time
 * and no-op bindings, feeding it the events given, and prints every transition.
 */
@Command(
    name = "simulate",
    header = "Runs a machine with no-op bindings and virtual time, printing its transitions.",
    mixinStandardHelpOptions = true,
    versionProvider = StatorCli.Version.class,
    exitCodeOnInvalidInput = StatorCli.USAGE,
    description = {
        "Runs a JSON machine on a test loop with virtual time and prints each transition as"
            + " [+ELAPSEDms] FROM --EVENT--> TO, then the final state. An event that no"
            + " transition takes is printed as [+ELAPSEDms] EVENT not handled in state STATE.",
        "Every name in the file is bound to a no-op: actions do nothing, guards hold, and calls"
            + " return null at once (so onDone transitions are taken immediately).",
        "A FILE of - reads standard input; only regular files are read, and a FIFO or a device is"
            + " refused. Names are printed with control characters escaped (\\n, \\u001b).",
        "Exits with 1 when the file is invalid or the machine has failed at the end; a fault"
            + " that the machine's recovery policy handled with a reset only shows in the trace."})
final class SimulateCommand implements Callable<Integer> {

  private static final String WAIT = "wait:";

  @Spec
  private CommandSpec spec;

  @ParentCommand
  private StatorCli cli;

  @Parameters(index = "0", paramLabel = "FILE",
      description = "The JSON file to run; - for standard input.")
  private Path file;

  @Option(names = {"-e", "--event"}, paramLabel = "EVENT",
      description = {
          "An event to send, as a string; repeat the option for more, they are applied in order.",
          "wait:DURATION advances virtual time instead, firing the timers that fall due:"
              + " wait:5s, wait:250ms, wait:1500 (milliseconds), wait:PT1M."})
  private List<String> events = new ArrayList<>();

  /** One thing to do to the machine: send an event, or let time pass. */
  private sealed interface Input permits Send, Wait {}

  private record Send(String event) implements Input {}

  private record Wait(Duration duration) implements Input {}

  @Override
  public Integer call() {
    List<Input> inputs = inputs();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonMachine<Object> json = MachineFiles.read(file, cli.stdin(), err);
    if (json == null) {
      return StatorCli.FAILED;
    }
    List<DeadLetter> deadLetters = new ArrayList<>();
    try (TestLoop loop = TestLoop.create(
        LoopOptions.DEFAULTS.withDeadLetterHandler(deadLetters::add), 0L)) {
      Trace trace = new Trace(loop, out);
      Machine<Object> machine = loop.start(json.definition(), json.id(), new Object(), trace);
      for (Input input : inputs) {
        if (input instanceof Wait wait) {
          loop.advance(wait.duration());
        } else if (input instanceof Send send) {
          StateSnapshot now = machine.state();
          if (now.isTerminal()) {
            // sending would only hand the event to the dead-letter handler
            out.println(Printable.escape(trace.stamp() + " " + send.event()
                + " not sent: the machine is " + now));
          } else {
            trace.handled = false;
            trace.sent = send.event();
            int failed = loop.failures().size();
            machine.send(send.event());
            // the step runs now, so that the trace can tell whether a transition took the event
            loop.runUntilIdle();
            trace.sent = null;
            // an event whose step faulted (a reset, a failure) was not dropped: the fault says so
            if (!trace.handled && machine.state().status() == Status.RUNNING
                && loop.failures().size() == failed) {
              out.println(Printable.escape(trace.stamp() + " " + send.event()
                  + " not handled in state " + now));
            }
          }
        }
      }
      loop.runUntilIdle();
      StateSnapshot last = machine.state();
      out.println("final state: " + Printable.escape(last.toString()));
      for (DeadLetter letter : deadLetters) {
        err.println(Printable.escape(letter.toString()));
      }
      Set<Failure> failures = new LinkedHashSet<>(loop.failures());
      if (last.status() == Status.FAILED) {
        // failed and waiting for a restart that has not come yet: a failure all the same
        failures.add(last.failure());
      }
      for (Failure failure : failures) {
        // several lines on purpose; the engine escapes the names and messages inside each
        err.println(failure.report());
      }
      return failures.isEmpty() ? StatorCli.OK : StatorCli.FAILED;
    }
  }

  /** Reads the {@code --event} values, refusing the whole command line if one is unreadable. */
  private List<Input> inputs() {
    List<Input> inputs = new ArrayList<>();
    for (String event : events) {
      if (event.startsWith(WAIT)) {
        try {
          inputs.add(new Wait(DurationText.parse(event.substring(WAIT.length()))));
        } catch (IllegalArgumentException unreadable) {
          throw new ParameterException(spec.commandLine(), "Invalid value for option '--event': "
              + unreadable.getMessage(), unreadable);
        }
      } else if (event.isBlank()) {
        throw new ParameterException(spec.commandLine(),
            "Invalid value for option '--event': an event needs a name");
      } else {
        inputs.add(new Send(event));
      }
    }
    return inputs;
  }

  /** Prints what the machine does, stamped with the virtual time. */
  private static final class Trace implements MachineListener<Object> {
    private final TestLoop loop;
    private final PrintWriter out;

    Trace(TestLoop loop, PrintWriter out) {
      this.loop = loop;
      this.out = out;
    }

    String stamp() {
      return "[+" + loop.elapsed().toMillis() + "ms]";
    }

    /** The event being sent from the command line, while its step runs; null otherwise. */
    Object sent;
    /** Whether a transition has taken {@link #sent}. */
    boolean handled;

    @Override
    public void onTransition(Machine<Object> machine, String from, Object event, String to) {
      if (event == sent) {
        handled = true;
      }
      // state names come from the file, and events' descriptions may hold anything
      out.println(Printable.escape(stamp() + " " + (from.isEmpty() ? "(start)" : from) + " --"
          + event + "--> " + to));
    }

    @Override
    public void onReset(Machine<Object> machine, Failure failure) {
      handled = true;
      out.println(stamp() + " reset after a fault: " + Printable.escape(failure.summary()));
    }
  }
}
