package dev.stator.dsl;

import dev.stator.EventLoop;
import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Run in a forked JVM with a small heap by {@link FatalErrorTest}: a callback exhausts the heap,
 * and the loop must take its fatal path. Prints one {@code CHECK name=value} line per fact.
 */
final class OutOfMemoryScenario {

  private OutOfMemoryScenario() {}

  public static void main(String[] args) throws Exception {
    LinkedBlockingQueue<Failure> fatal = new LinkedBlockingQueue<>();
    AtomicBoolean bystanderCallbackAfterFatal = new AtomicBoolean();
    EventLoop loop = EventLoop.start("oom-loop",
        LoopOptions.DEFAULTS.withFatalFailureHandler(fatal::add)
            .withUnobservedFailureHandler(f -> { }));
    Machine<Recorder> hog = loop.start(Stator.<String, Recorder>machine("hog")
        .initial("A")
        .state("A", s -> s.on("eat").then(r -> {
          List<long[]> heap = new ArrayList<>();
          while (true) {
            heap.add(new long[1 << 16]);
          }
        }).stay())
        .build(), new Recorder());
    Machine<Recorder> bystander = loop.start(Stator.<String, Recorder>machine("bystander")
        .initial("A")
        .state("A", s -> s.onExit(r -> bystanderCallbackAfterFatal.set(true)))
        .build(), new Recorder());

    hog.send("eat");

    Failure reported = fatal.poll(30, TimeUnit.SECONDS);
    System.out.println("CHECK fatalHandlerTold=" + (reported != null));
    System.out.println("CHECK fatalCause=" + (reported == null ? "none"
        : reported.cause().getClass().getSimpleName()));
    System.out.println("CHECK hogFailedWithOom=" + causeName(hog).equals("OutOfMemoryError"));
    System.out.println("CHECK bystanderCompleted=" + bystander.lifecycle().isDone());
    System.out.println("CHECK bystanderFailed=" + bystander.lifecycle().isCompletedExceptionally());
    System.out.println("CHECK noUserCallbackAfterFatal=" + !bystanderCallbackAfterFatal.get());
    loop.close();
    System.out.println("CHECK sendRefusedAfterFatal=" + !bystander.send("late"));
    System.out.println("CHECK loopClosed=" + loop.isClosed());
  }

  private static String causeName(Machine<?> machine) throws InterruptedException {
    try {
      machine.lifecycle().get(30, TimeUnit.SECONDS);
      return "completed normally";
    } catch (ExecutionException e) {
      return e.getCause() instanceof MachineFailedException failed
          ? failed.failure().cause().getClass().getSimpleName() : e.getCause().toString();
    } catch (java.util.concurrent.TimeoutException e) {
      return "still pending";
    }
  }
}
