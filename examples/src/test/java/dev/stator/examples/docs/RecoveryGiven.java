package dev.stator.examples.docs;

import dev.stator.Failure;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.dsl.Stator;
import java.net.ConnectException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The names docs/recovery.md's snippets take as known (its keeper example declares its own). */
class RecoveryGiven extends Given {
  enum Conn { CONNECTING, BACKOFF }

  enum State { SUPERVISING, DEGRADED }

  static class Session {
    void dial() throws ConnectException {}

    void close() {}

    CompletionStage<Void> sendGoodbye() {
      return CompletableFuture.completedFuture(null);
    }
  }

  static class Job {}

  static class Supervisor {
    Machine<Job> worker;
    int done;
    Failure lastError;
  }

  interface Alerts {
    void publish(String summary);
  }

  static final MachineDefinition<Job> WORKER = Stator.<String, Job>machine("worker")
      .initial("working")
      .state("working", s -> s.on("done").goTo("finished"))
      .finalState("finished")
      .build();
  static final RecoveryPolicy<Session> QUICK_RESET = RecoveryPolicy.reset(Session::new);

  Machine<Object> keeper;
  final Alerts alerts = fake(Alerts.class);
}
