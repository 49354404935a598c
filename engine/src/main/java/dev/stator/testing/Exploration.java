package dev.stator.testing;

import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import dev.stator.Phase;
import dev.stator.StateSnapshot;
import dev.stator.Status;
import dev.stator.Transition;
import dev.stator.internal.text.Describe;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Explores what a machine does for every sequence of inputs up to a depth, on virtual time, and
 * reports what it found ({@link ExplorationReport}): the configurations reached, the events of
 * the alphabet no state ever handled, the states never entered, and every way a run ended badly
 * (the machine FAILED, its lifecycle future was still pending after its loop closed, or the loop
 * threw), each with the shortest script found that reproduces it.
 *
 * <pre>{@code
 * ExplorationReport report = Exploration.of(definition, Session::new)
 *     .events("connect", "quit")
 *     .event("request", random -> new Request("GET k" + random.nextInt(3)))
 *     .depth(6)
 *     .singleFaults()
 *     .explore();
 * assertThat(report.ownFindings()).isEmpty();
 * }</pre>
 *
 * <h2>How it searches</h2>
 *
 * The inputs are the events of the alphabet, the waits it names, and "wait for the next timer"
 * (only where a timer is pending). Breadth first from the start, each script is run on a fresh
 * test loop with a fresh machine; a script is extended only when the run ends with the machine
 * running in a situation not seen before. A situation is the machine's configuration with what
 * else steers what comes next and can be seen from outside: the number of pending timers, what
 * each history state remembers, the number of resets, and the context's fingerprint when one is
 * given ({@link #fingerprint}). So the search is exhaustive to the depth over those situations,
 * and takes as many runs as there are situations times inputs, not inputs to the power of the
 * depth. When guards read the context, give a fingerprint of what they read. After a reset the
 * machine has a context of the policy's making, which the fingerprint cannot see.
 *
 * <p>Beyond the depth, {@link #randomWalks} runs seeded random scripts; a walk that ends badly is
 * shrunk (inputs removed while it still ends the same way) before it is reported.
 * {@link #singleFaults()} explores again once per callback site of the definition (each state's
 * entry and exit actions, each state's transitions' actions and guards by event, each call), with
 * a {@link FaultPlan} that fails that site's first run.
 *
 * <p>{@link #stubbingCallbacks()} explores the definition's structure alone, for machines whose
 * callbacks need the outside world: actions do nothing, guards hold, calls return null.
 *
 * <p><b>Thread-safety:</b> not thread-safe: configure and explore on one thread. The machines run
 * on test loops on that thread.
 *
 * @param <C> the context type
 */
public final class Exploration<C> {

  /** How the runs' loops report: quietly, since failures are what the exploration looks for. */
  private static final LoopOptions QUIET = LoopOptions.DEFAULTS
      .withUnobservedFailureHandler(failure -> { })
      .withDeadLetterHandler(letter -> { });

  /**
   * One input of the alphabet.
   *
   * @param label how the report names it
   * @param payloads makes the event; null for a wait
   * @param pause how long a wait lasts; null for an event, and for the next timer
   */
  private record Input(String label, Function<Random, ?> payloads, Duration pause) {
    boolean nextTimer() {
      return payloads == null && pause == null;
    }
  }

  /** One step of a script: an input, with the event it drew. */
  private record Move(Input input, Object event) {
    String text() {
      if (input.payloads() != null) {
        return "send " + Describe.event(event);
      }
      return input.nextTimer() ? "wait for the next timer" : "wait " + input.pause();
    }
  }

  /** How a run ended. */
  private record Outcome(String ending, String detail, String key, int timers, int used) {
    boolean alive() {
      return ending == null && key != null;
    }
  }

  private final MachineDefinition<C> definition;
  private final Supplier<? extends C> contexts;
  private final List<Input> alphabet = new ArrayList<>();
  private int depth = 4;
  private Function<? super C, ?> fingerprint = context -> null;
  private int walks;
  private int walkLength;
  private long seed;
  private boolean singleFaults;
  private boolean stubbed;

  private Exploration(MachineDefinition<C> definition, Supplier<? extends C> contexts) {
    this.definition = Objects.requireNonNull(definition, "definition");
    this.contexts = Objects.requireNonNull(contexts, "contexts");
    alphabet.add(new Input("wait for the next timer", null, null));
  }

  /**
   * Starts an exploration.
   *
   * @param definition the machine to explore
   * @param contexts makes a fresh context for each run
   * @param <C> the context type
   * @return the exploration, to configure
   */
  public static <C> Exploration<C> of(MachineDefinition<C> definition,
      Supplier<? extends C> contexts) {
    return new Exploration<>(definition, contexts);
  }

  /**
   * Adds events to the alphabet.
   *
   * @param events the events, each sent as it is
   * @return this exploration
   */
  public Exploration<C> events(Object... events) {
    for (Object event : events) {
      Objects.requireNonNull(event, "event");
      alphabet.add(new Input(Describe.event(event), random -> event, null));
    }
    return this;
  }

  /**
   * Adds to the alphabet every event the definition names in a transition (Strings and enum
   * constants; not types, which need a payload: add those with {@link #event(String, Function)}).
   *
   * @return this exploration
   */
  public Exploration<C> eventsOfTheDefinition() {
    Set<Object> named = new LinkedHashSet<>();
    collectEvents(definition.spec().states(), named);
    return events(named.toArray());
  }

  private static void collectEvents(List<? extends StateSpec<?>> states, Set<Object> into) {
    for (StateSpec<?> state : states) {
      for (TransitionSpec<?> transition : state.transitions()) {
        if (transition.trigger() instanceof Trigger.OnEvent on) {
          into.add(on.event());
        }
      }
      collectEvents(state.children(), into);
    }
  }

  /**
   * Adds an event with a payload to the alphabet: each time the input is chosen, the generator
   * makes the event from the exploration's seeded randomness, so runs are reproducible.
   *
   * @param label how the report names the input
   * @param payloads makes the event
   * @return this exploration
   */
  public Exploration<C> event(String label, Function<? super Random, ?> payloads) {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(payloads, "payloads");
    alphabet.add(new Input(label, random -> Objects.requireNonNull(payloads.apply(random),
        () -> "the payload generator of '" + label + "' made null"), null));
    return this;
  }

  /**
   * Adds a wait of a fixed length to the alphabet (the next timer is always an input).
   *
   * @param by how long; positive
   * @return this exploration
   */
  public Exploration<C> advance(Duration by) {
    Objects.requireNonNull(by, "by");
    if (by.isNegative() || by.isZero()) {
      throw new IllegalArgumentException("a wait must be positive, not " + by);
    }
    alphabet.add(new Input("wait " + by, null, by));
    return this;
  }

  /**
   * Sets how many inputs the exhaustive search goes to; 4 unless told.
   *
   * @param inputs the depth; zero or more
   * @return this exploration
   */
  public Exploration<C> depth(int inputs) {
    if (inputs < 0) {
      throw new IllegalArgumentException("depth must be zero or more, not " + inputs);
    }
    this.depth = inputs;
    return this;
  }

  /**
   * Tells the search what of the context steers the machine, so that situations with the same
   * configuration but different contexts are told apart.
   *
   * @param of the fingerprint: equal for contexts that steer alike
   * @return this exploration
   */
  public Exploration<C> fingerprint(Function<? super C, ?> of) {
    this.fingerprint = Objects.requireNonNull(of, "of");
    return this;
  }

  /**
   * Adds seeded random scripts beyond the exhaustive depth.
   *
   * @param count how many walks
   * @param length how many inputs each
   * @param randomSeed the seed of the walks and of the payload generators
   * @return this exploration
   */
  public Exploration<C> randomWalks(int count, int length, long randomSeed) {
    if (count < 0 || length < 1) {
      throw new IllegalArgumentException("random walks: a count of zero or more and a length of"
          + " one or more, not " + count + " and " + length);
    }
    this.walks = count;
    this.walkLength = length;
    this.seed = randomSeed;
    return this;
  }

  /**
   * Explores again with a fault at each callback site in turn (its first run throws an
   * {@link InjectedFaultException}).
   *
   * @return this exploration
   */
  public Exploration<C> singleFaults() {
    this.singleFaults = true;
    return this;
  }

  /**
   * Explores the definition's structure only: actions do nothing, guards hold, calls return null
   * at once, done data is null. Recovery policies run as written.
   *
   * @return this exploration
   */
  public Exploration<C> stubbingCallbacks() {
    this.stubbed = true;
    return this;
  }

  /**
   * Runs the exploration.
   *
   * @return what it found
   */
  public ExplorationReport explore() {
    MachineDefinition<C> explored = stubbed ? SpecStubs.stub(definition) : definition;
    Totals totals = new Totals(explored);
    Search own = new Search(explored, FaultPlan.none(), null, totals);
    own.breadthFirst();
    own.walk();
    List<String> sites = new ArrayList<>();
    List<String> neverRun = new ArrayList<>();
    if (singleFaults) {
      for (FaultPlan plan : singleFaultPlans(explored)) {
        String site = plan.rules().get(0).site();
        sites.add(site);
        Search faulty = new Search(explored, plan, site, totals);
        faulty.breadthFirst();
        if (!faulty.fired) {
          neverRun.add(site);
        }
      }
    }
    List<String> unhandled = new ArrayList<>();
    for (Input input : alphabet) {
      if (input.payloads() != null && !totals.handled.contains(input.label())) {
        unhandled.add(input.label());
      }
    }
    List<String> unreached = new ArrayList<>();
    for (String path : explored.statePaths()) {
      if (!totals.entered.contains(path) && !isHistory(explored, path)) {
        unreached.add(path);
      }
    }
    return new ExplorationReport(depth, totals.runs, new ArrayList<>(totals.configurations),
        unhandled, unreached, sites, neverRun, new ArrayList<>(totals.findings.values()));
  }

  /** One plan per callback site: the site's first run throws. */
  static List<FaultPlan> singleFaultPlans(MachineDefinition<?> definition) {
    List<FaultPlan> plans = new ArrayList<>();
    sites(definition.spec().states(), null, plans);
    return plans;
  }

  private static void sites(List<? extends StateSpec<?>> states, String parent,
      List<FaultPlan> plans) {
    for (StateSpec<?> state : states) {
      String path = parent == null ? state.name() : parent + "/" + state.name();
      if (!state.entry().isEmpty()) {
        plans.add(FaultPlan.builder().entry(path).throwing().build());
      }
      if (!state.exit().isEmpty()) {
        plans.add(FaultPlan.builder().exit(path).throwing().build());
      }
      Set<String> actions = new LinkedHashSet<>();
      Set<String> guards = new LinkedHashSet<>();
      for (TransitionSpec<?> transition : state.transitions()) {
        String event = FaultRewriter.eventName(transition.trigger());
        if (!transition.actions().isEmpty() && actions.add(event)) {
          plans.add(FaultPlan.builder().action(path, event).throwing().build());
        }
        if (transition.guard() != null && guards.add(event)) {
          plans.add(FaultPlan.builder().guard(path, event).throwing().build());
        }
      }
      state.invocations().forEach(invocation ->
          plans.add(FaultPlan.builder().call(path, invocation.id()).throwing().build()));
      sites(state.children(), path, plans);
    }
  }

  private static boolean isHistory(MachineDefinition<?> definition, String path) {
    List<? extends StateSpec<?>> level = definition.spec().states();
    StateSpec<?> found = null;
    for (String name : path.split("/")) {
      found = null;
      for (StateSpec<?> state : level) {
        if (state.name().equals(name)) {
          found = state;
        }
      }
      if (found == null) {
        return false;
      }
      level = found.children();
    }
    return found != null && found.isHistory();
  }

  /** What every search adds to: the runs, what was reached and handled, the findings. */
  private static final class Totals {
    long runs;
    final Set<String> configurations = new TreeSet<>();
    final Set<String> handled = new HashSet<>();
    final Set<String> entered = new HashSet<>();
    final Map<String, ExplorationReport.Finding> findings = new LinkedHashMap<>();
    final List<String> historyParents = new ArrayList<>();

    Totals(MachineDefinition<?> definition) {
      historyParents(definition.spec().states(), null, historyParents);
    }

    private static void historyParents(List<? extends StateSpec<?>> states, String parent,
        List<String> into) {
      for (StateSpec<?> state : states) {
        String path = parent == null ? state.name() : parent + "/" + state.name();
        if (state.children().stream().anyMatch(StateSpec::isHistory)) {
          into.add(path);
        }
        historyParents(state.children(), path, into);
      }
    }
  }

  /** The search with one fault plan (none for the machine's own behaviour). */
  private final class Search {
    private final MachineDefinition<C> explored;
    private final FaultRewriter<C> faults;
    private final String site;
    private final Totals totals;
    private final Random random;
    boolean fired;

    Search(MachineDefinition<C> explored, FaultPlan plan, String site, Totals totals) {
      // the plan is applied once, and its counts start again for each run: compiling the
      // faulty definition costs more than a run
      if (plan.isEmpty()) {
        this.faults = null;
        this.explored = explored;
      } else {
        this.faults = new FaultRewriter<>(plan.rules());
        this.explored = faults.rewrite(explored);
      }
      this.site = site;
      this.totals = totals;
      this.random = new Random(seed);
    }

    void breadthFirst() {
      Set<String> seen = new HashSet<>();
      List<List<Move>> frontier = new ArrayList<>();
      List<Integer> timers = new ArrayList<>();
      Outcome start = run(List.of(), false);
      if (start.alive() && seen.add(start.key())) {
        frontier.add(List.of());
        timers.add(start.timers());
      }
      for (int level = 0; level < depth && !frontier.isEmpty(); level++) {
        List<List<Move>> next = new ArrayList<>();
        List<Integer> nextTimers = new ArrayList<>();
        for (int i = 0; i < frontier.size(); i++) {
          for (Input input : alphabet) {
            if (input.nextTimer() && timers.get(i) == 0) {
              continue;
            }
            List<Move> script = new ArrayList<>(frontier.get(i));
            script.add(new Move(input, draw(input)));
            Outcome outcome = run(script, false);
            if (outcome.alive() && seen.add(outcome.key())) {
              next.add(script);
              nextTimers.add(outcome.timers());
            }
          }
        }
        frontier = next;
        timers = nextTimers;
      }
    }

    void walk() {
      for (int w = 0; w < walks; w++) {
        List<Move> script = new ArrayList<>();
        for (int i = 0; i < walkLength; i++) {
          Input input = alphabet.get(random.nextInt(alphabet.size()));
          script.add(new Move(input, draw(input)));
        }
        Outcome outcome = run(script, true);
        if (outcome.ending() != null) {
          shrink(script.subList(0, outcome.used()), outcome);
        }
      }
    }

    private Object draw(Input input) {
      return input.payloads() == null ? null : input.payloads().apply(random);
    }

    /** Removes inputs while the script still ends the same way; records the shortest. */
    private void shrink(List<Move> failing, Outcome outcome) {
      List<Move> best = new ArrayList<>(failing);
      String signature = outcome.ending() + ": " + outcome.detail();
      boolean smaller = true;
      while (smaller) {
        smaller = false;
        for (int i = best.size() - 1; i >= 0; i--) {
          List<Move> candidate = new ArrayList<>(best);
          candidate.remove(i);
          Outcome tried = run(candidate, true);
          if ((tried.ending() + ": " + tried.detail()).equals(signature)) {
            best = new ArrayList<>(candidate.subList(0, tried.used()));
            smaller = true;
            break;
          }
        }
      }
    }

    /**
     * Runs a script on a fresh loop; with {@code stopAtEnd}, stops at the first input after which
     * the machine has ended. Records what it reached and any bad ending.
     */
    private Outcome run(List<Move> script, boolean stopAtEnd) {
      totals.runs++;
      Tracker tracker = new Tracker(totals.historyParents);
      if (faults != null) {
        faults.resetCounts();
      }
      TestLoop loop = TestLoop.create(QUIET, seed);
      int used = 0;
      boolean firedHere = false;
      Outcome outcome;
      try {
        C context = contexts.get();
        Machine<C> machine = loop.start(explored, explored.id(), context, tracker);
        for (Move move : script) {
          if (stopAtEnd && machine.state().isTerminal()) {
            break;
          }
          used++;
          tracker.sent = move.event();
          tracker.handled = false;
          apply(loop, machine, move);
          if (tracker.handled && site == null) {
            totals.handled.add(move.input().label());
          }
        }
        StateSnapshot state = machine.state();
        firedHere = tracker.fired || (state.failure() != null
            && InjectedFaultException.in(state.failure().cause()).isPresent());
        fired |= firedHere;
        String key = null;
        if (state.status() == Status.RUNNING) {
          key = state.path() + " | timers " + loop.pendingTimers() + " | history "
              + tracker.history + " | resets " + tracker.resets + " | "
              + fingerprint.apply(context);
        }
        if (site == null) {
          if (state.status() != Status.FAILED && !state.path().isEmpty()) {
            totals.configurations.add(state.path());
          }
          totals.entered.addAll(tracker.entered);
        }
        int timers = loop.pendingTimers();
        loop.close();
        if (state.status() == Status.FAILED) {
          outcome = new Outcome("FAILED", state.failure().summary(), null, timers, used);
        } else if (!machine.lifecycle().isDone()) {
          outcome = new Outcome("PENDING", "the lifecycle future of a machine in "
              + machine.state().path() + " was pending after its loop closed", null, timers, used);
        } else {
          outcome = new Outcome(null, "", key, timers, used);
        }
      } catch (RuntimeException | StackOverflowError thrown) {
        firedHere = tracker.fired;
        outcome = new Outcome("ERROR", "the test loop threw " + thrown, null, 0, used);
      }
      if (outcome.ending() != null) {
        // a run whose fault did not fire ended badly on its own: the machine's finding, not the
        // site's (it is the same as the search without faults finds)
        record(script.subList(0, Math.min(used, script.size())), outcome,
            firedHere ? site : null);
      }
      return outcome;
    }

    private void apply(TestLoop loop, Machine<C> machine, Move move) {
      if (move.input().payloads() != null) {
        machine.send(move.event());
      } else if (move.input().nextTimer()) {
        loop.advanceToNextTimer();
      } else {
        loop.advance(move.input().pause());
      }
    }

    private void record(List<Move> script, Outcome outcome, String fault) {
      // an injected fault's site is the finding; without one, each distinct ending is
      String key = fault == null ? outcome.ending() + ": " + outcome.detail()
          : fault + " | " + outcome.ending();
      ExplorationReport.Finding known = totals.findings.get(key);
      if (known == null || known.script().size() > script.size()) {
        List<String> steps = script.stream().map(Move::text).toList();
        totals.findings.put(key, new ExplorationReport.Finding(fault, outcome.ending(), steps,
            outcome.detail()));
      }
    }
  }

  /**
   * Listens to one run: which states were entered, whether the event just sent was handled,
   * what each history state remembers, how many resets, and whether an injected fault fired.
   */
  private static final class Tracker implements MachineListener<Object> {
    private final List<String> historyParents;
    final Set<String> entered = new HashSet<>();
    final Map<String, String> history = new TreeMap<>();
    Object sent;
    boolean handled;
    boolean fired;
    int resets;

    Tracker(List<String> historyParents) {
      this.historyParents = historyParents;
    }

    @Override
    public void onTransition(Machine<Object> machine, Transition transition) {
      entered.addAll(transition.entered());
      if (sent != null && Objects.equals(sent, transition.event())) {
        handled = true;
      }
      if (transition.event() instanceof Throwable error
          && InjectedFaultException.in(error).isPresent()) {
        fired = true;
      }
      for (String parent : historyParents) {
        if (transition.exited().contains(parent)) {
          StringBuilder inside = new StringBuilder();
          for (String exited : transition.exited()) {
            if (exited.startsWith(parent + "/")) {
              inside.append(exited).append(' ');
            }
          }
          history.put(parent, inside.toString());
        }
      }
    }

    @Override
    public void onReset(Machine<Object> machine, Failure failure) {
      resets++;
      history.clear();
      faulted(failure);
    }

    @Override
    public void onTerminated(Machine<Object> machine, StateSnapshot last) {
      if (last.failure() != null) {
        faulted(last.failure());
      }
    }

    /** A fault in a transition's callbacks still means a transition took the event. */
    private void faulted(Failure failure) {
      if (InjectedFaultException.in(failure.cause()).isPresent()) {
        fired = true;
      }
      Phase phase = failure.phase();
      if (sent != null && (phase == Phase.GUARD || phase == Phase.EXIT || phase == Phase.ACTION
          || phase == Phase.ENTRY)) {
        handled = true;
      }
    }
  }
}
