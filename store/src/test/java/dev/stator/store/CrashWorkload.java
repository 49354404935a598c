package dev.stator.store;

import dev.stator.EventLoop;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.RecoveryPolicy;
import dev.stator.durable.CallLostException;
import dev.stator.durable.RestoreOptions;
import dev.stator.dsl.Stator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The child process of {@link CrashKillTest}: it restores every stored machine (starting those not
 * stored yet), then drives them with durable sends until it is killed, printing one line for each
 * step the store acknowledged ({@code ACK <machine> <what>}). Each machine counts operations in its
 * context, waits on timers (recording when each was due and when it fired), makes calls that are
 * in flight when the process dies, and some fail on purpose.
 *
 * <p>Arguments: {@code sqlite <file>} or {@code postgres <jdbc url>}, the number of machines, and
 * the seed of this run.
 */
public final class CrashWorkload {

  /** An operation: the machine appends its sequence number to its context. */
  public record Op(int seq) {}

  /** A machine's context: what it did, as the checks read it back. */
  public static final class Work {
    public List<Integer> ops = new ArrayList<>();
    /** The wall-clock deadline of the timer in progress, in milliseconds. */
    public long deadline;
    /** Each timer that fired: its deadline and when it fired, in wall-clock milliseconds. */
    public List<long[]> timers = new ArrayList<>();
    public int calls;
    public int lostCalls;
  }

  static final Duration TIMER = Duration.ofMillis(700);

  static final MachineDefinition<Work> WORKER = Stator.<String, Work>machine("worker")
      .initial("alive")
      .state("alive", alive -> alive
          .initial("idle")
          // operations and failures on request, whichever child state is active
          .on(Op.class).then((work, step) -> work.ops.add(step.event().seq())).stay()
          .on("boom").then(work -> {
            throw new IllegalStateException("boom on request");
          }).stay()
          .state("idle", s -> s
              .on("wait").then(work -> work.deadline = System.currentTimeMillis()
                  + TIMER.toMillis()).goTo("waiting")
              .on("call").goTo("calling"))
          .state("waiting", s -> s
              .after(TIMER).then(work -> work.timers.add(
                  new long[] {work.deadline, System.currentTimeMillis()})).goTo("idle"))
          .state("calling", s -> s
              .invokeAsync("work", (work, step) -> {
                CompletableFuture<String> done = new CompletableFuture<>();
                CompletableFuture.delayedExecutor(40, TimeUnit.MILLISECONDS)
                    .execute(() -> done.complete("ok"));
                return done;
              }, Duration.ofSeconds(10))
              .onDone("work").then(work -> work.calls++).goTo("idle")
              .onError(CallLostException.class).then(work -> work.lostCalls++).goTo("idle")))
      .recovery(RecoveryPolicy.exit())
      .build();

  static final JsonContextCodec<Work> CODEC = JsonContextCodec.of(Work.class);

  private CrashWorkload() {
  }

  static JdbcMachineStore store(String kind, String where) {
    if (kind.equals("sqlite")) {
      return JdbcMachineStore.sqlite(java.nio.file.Path.of(where));
    }
    org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
    source.setUrl(where);
    return JdbcMachineStore.open((DataSource) source);
  }

  public static void main(String[] args) throws Exception {
    int machines = Integer.parseInt(args[2]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[3]));
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    JdbcMachineStore store = store(args[0], args[1]);
    Persistence persistence = Persistence.start(store);
    EventLoop loop = EventLoop.start("crash");
    Map<String, Machine<Work>> running = new ConcurrentHashMap<>();
    for (Machine<Work> machine : persistence.restoreAll(loop, WORKER, CODEC,
        RestoreOptions.DEFAULTS).machines()) {
      running.put(machine.id(), machine);
    }
    for (int i = 0; i < machines; i++) {
      running.computeIfAbsent("m-" + i,
          id -> persistence.start(loop, WORKER, id, new Work(), CODEC));
    }
    synchronized (out) {
      out.println("READY " + System.currentTimeMillis());
      out.flush();
    }
    for (Machine<Work> machine : running.values()) {
      // the next operation follows the last one the machine took, stored or not acknowledged
      SplittableRandom own = random.split();
      machine.snapshot(CODEC).thenAccept(image -> {
        List<Integer> ops = CODEC.decode(image.context()).ops;
        drive(machine, ops.isEmpty() ? 1 : ops.get(ops.size() - 1) + 1, own, out);
      });
    }
    new java.util.concurrent.CountDownLatch(1).await(); // runs until the parent kills it
  }

  /** Sends the machine one durable event after another, each once the previous is committed. */
  private static void drive(Machine<Work> machine, int seq, SplittableRandom random,
      PrintStream out) {
    if (machine.lifecycle().isDone()) {
      return;
    }
    int dice = random.nextInt(100);
    Object event = dice < 4 ? "wait" : dice < 8 ? "call" : dice < 9 && random.nextInt(4) == 0
        ? "boom" : new Op(seq);
    int next = event instanceof Op ? seq + 1 : seq;
    machine.sendDurably(event).whenComplete((ok, error) -> {
      if (error == null) {
        synchronized (out) {
          out.println("ACK " + machine.id() + " " + (event instanceof Op op ? op.seq() : event));
          out.flush();
        }
        drive(machine, next, random, out);
      }
    });
  }
}
