package dev.stator.testing;

import dev.stator.MachineDefinition;
import dev.stator.MachineListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which callbacks of a machine fail on purpose, and how: the n-th run of a state's entry or exit
 * actions, of the actions or the guard of a state's transitions on an event, of a named call (it
 * throws, completes exceptionally, never completes, or times out), or of a listener. A test
 * attaches a plan to its {@link TestLoop} ({@link TestLoop#injecting(FaultPlan)}), or applies it
 * to a definition itself ({@link #applyTo(MachineDefinition)}), and checks that the machine
 * survives, recovers or fails as it should.
 *
 * <pre>{@code
 * FaultPlan plan = FaultPlan.builder()
 *     .entry("connecting").onRun(2).throwing(new ConnectException("refused"))  // expected error
 *     .action("ready", "PING").throwing()                                       // a fault
 *     .call("connecting", "dial").onRun(3).neverCompleting()
 *     .build();
 * TestLoop loop = TestLoop.create().injecting(plan);
 * }</pre>
 *
 * <p>Sites are named as the definition names them, so that a plan works alike for machines
 * written with the DSL and read from JSON: a state by its path ({@code "online/handshake"}), a
 * transition by its event (an enum constant's name or a String event; {@code "always"},
 * {@code "done"}, {@code "done dial"}, {@code "after PT1S"}, {@code "error IOException"} ({@code "error
 * IOException from dial"} for a call's own), or the simple name of an event type), a call by its
 * id.
 * A site the definition lacks is refused when the plan is applied, with the sites it has.
 *
 * <p>Runs are counted from 1 per site and per application of the plan: every machine of one
 * definition on one test loop shares the count (the entry actions of a state count once per
 * entry, the transitions of one state on one event once per run of any of them). A throwable the
 * plan names is thrown as it is, so a declared expected error takes its transition; it carries an
 * {@link InjectedFaultException} as suppressed. Without one, the plan throws an
 * {@code InjectedFaultException}. Either way a failure's summary ends with
 * {@code (injected by a FaultPlan)}.
 *
 * <p>The plan rewrites the definition's {@link dev.stator.model.MachineSpec}: it adds an
 * injecting callback before the state's own (an entry action, an exit action, a transition
 * action, a guard) or wraps the call, and compiles the result; the machine runtime is untouched.
 *
 * <p><b>Thread-safety:</b> immutable; share it freely. The definitions and listeners it returns
 * count runs with atomic counters, so they may run on several loops, though a count shared
 * between loops makes "the n-th run" depend on their interleaving. The builders are not
 * thread-safe.
 */
public final class FaultPlan {

  /** Where a rule injects. */
  enum Where {
    ENTRY, EXIT, ACTION, GUARD, CALL, LISTENER
  }

  /** How a rule fails the call it names; callbacks only throw. */
  enum Mode {
    THROW, COMPLETE_EXCEPTIONALLY, NEVER_COMPLETE, TIME_OUT
  }

  /**
   * One injection.
   *
   * @param where the kind of site
   * @param state the state's path; null for a listener
   * @param detail the event of an action or guard, the id of a call; else null
   * @param run which run fails, from 1
   * @param mode how it fails
   * @param error what it throws, or null for an {@link InjectedFaultException}
   */
  record Rule(Where where, String state, String detail, int run, Mode mode, Throwable error) {
    String site() {
      return switch (where) {
        case ENTRY -> "entry of state " + state;
        case EXIT -> "exit of state " + state;
        case ACTION -> "action of state " + state + " on " + detail;
        case GUARD -> "guard of state " + state + " on " + detail;
        case CALL -> "call " + detail + " of state " + state;
        case LISTENER -> "listener";
      };
    }

    @Override
    public String toString() {
      return site() + ", run " + run + ": " + mode.name().toLowerCase(java.util.Locale.ROOT)
          + (error == null ? "" : " " + error.getClass().getSimpleName());
    }
  }

  private static final FaultPlan NONE = new FaultPlan(List.of());

  private final List<Rule> rules;

  private FaultPlan(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** {@return a new, empty plan's builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the plan that injects nothing} */
  public static FaultPlan none() {
    return NONE;
  }

  List<Rule> rules() {
    return rules;
  }

  /** {@return whether the plan injects nothing} */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * Returns {@code definition} with this plan's faults in its callbacks, compiled anew. Each call
   * counts runs afresh.
   *
   * @param definition the machine to inject faults into
   * @param <C> the context type
   * @return the faulty definition; {@code definition} itself when the plan names none of its
   *     callbacks (a plan of listener faults only)
   * @throws IllegalArgumentException naming each state, event or call of the plan that the
   *     definition lacks, with what it has
   */
  public <C> MachineDefinition<C> applyTo(MachineDefinition<C> definition) {
    Objects.requireNonNull(definition, "definition");
    if (rules.stream().allMatch(rule -> rule.where() == Where.LISTENER)) {
      return definition;
    }
    return new FaultRewriter<C>(rules).rewrite(definition);
  }

  /**
   * Returns {@code listener} with this plan's listener faults: the n-th notification it gets, of
   * any kind, throws instead of reaching it. The loop logs what a listener throws and goes on, so a
   * listener fault tests that nothing depends on a listener.
   *
   * @param listener the listener
   * @param <C> the context type
   * @return the faulty listener; {@code listener} itself when the plan has no listener faults
   */
  public <C> MachineListener<C> applyTo(MachineListener<C> listener) {
    Objects.requireNonNull(listener, "listener");
    List<Rule> listenerRules = rules.stream().filter(rule -> rule.where() == Where.LISTENER)
        .toList();
    return listenerRules.isEmpty() ? listener : FaultRewriter.listener(listener, listenerRules);
  }

  /**
   * {@return the plan's faults for a test's messages: each its site, the run and how it fails,
   * such as {@code FaultPlan[entry of state a, run 2: throw IOException]}}
   */
  @Override
  public String toString() {
    return "FaultPlan" + rules;
  }

  /**
   * Collects the faults of a plan: name a site, optionally the run, then how it fails.
   *
   * <p><b>Thread-safety:</b> not thread-safe; build on one thread.
   */
  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();

    private Builder() {}

    /**
     * Names the entry actions of a state: the run fails before any of them runs.
     *
     * @param statePath the state's path, such as {@code "online/handshake"}
     * @return the site, to say which run fails and how
     */
    public Site entry(String statePath) {
      return new Site(this, Where.ENTRY, path(statePath), null);
    }

    /**
     * Names the exit actions of a state: the run fails before any of them runs.
     *
     * @param statePath the state's path
     * @return the site
     */
    public Site exit(String statePath) {
      return new Site(this, Where.EXIT, path(statePath), null);
    }

    /**
     * Names the actions of a state's transitions on an event: the run fails before the
     * transition's own actions, after the exits.
     *
     * @param statePath the source state's path
     * @param event the event as the plan names it (see the class documentation)
     * @return the site
     */
    public Site action(String statePath, String event) {
      return new Site(this, Where.ACTION, path(statePath), Objects.requireNonNull(event, "event"));
    }

    /**
     * Names the guard of a state's transitions on an event; a transition without a guard gets one
     * that holds but on the failing run.
     *
     * @param statePath the source state's path
     * @param event the event as the plan names it
     * @return the site
     */
    public Site guard(String statePath, String event) {
      return new Site(this, Where.GUARD, path(statePath), Objects.requireNonNull(event, "event"));
    }

    /**
     * Names a state's call.
     *
     * @param statePath the state's path
     * @param callId the call's id
     * @return the site, which can also fail the call's completion
     */
    public CallSite call(String statePath, String callId) {
      return new CallSite(this, path(statePath), Objects.requireNonNull(callId, "callId"));
    }

    /**
     * Names the listeners the plan is applied to (those given to {@link TestLoop#start(
     * MachineDefinition, String, Object, MachineListener)} on a loop the plan is attached to).
     *
     * @return the site
     */
    public Site listener() {
      return new Site(this, Where.LISTENER, null, null);
    }

    /** {@return the plan} */
    public FaultPlan build() {
      return new FaultPlan(rules);
    }

    private static String path(String statePath) {
      Objects.requireNonNull(statePath, "statePath");
      if (statePath.isEmpty()) {
        throw new IllegalArgumentException("a state path is names joined by '/', not empty");
      }
      return statePath;
    }

    Builder add(Rule rule) {
      rules.add(rule);
      return this;
    }
  }

  /**
   * A callback site of a plan being built: which run fails (the first, unless told), and with
   * what.
   *
   * <p><b>Thread-safety:</b> not thread-safe.
   */
  public static class Site {
    final Builder builder;
    final Where where;
    final String state;
    final String detail;
    int run = 1;

    Site(Builder builder, Where where, String state, String detail) {
      this.builder = builder;
      this.where = where;
      this.state = state;
      this.detail = detail;
    }

    /**
     * Says which run fails.
     *
     * @param n the run, counted from 1
     * @return this site
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public Site onRun(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("runs are counted from 1, not " + n);
      }
      this.run = n;
      return this;
    }

    /**
     * Makes the run throw an {@link InjectedFaultException}.
     *
     * @return the plan's builder
     */
    public Builder throwing() {
      return add(Mode.THROW, null);
    }

    /**
     * Makes the run throw {@code error}: any throwable, a declared expected error included.
     *
     * @param error what to throw
     * @return the plan's builder
     */
    public Builder throwing(Throwable error) {
      return add(Mode.THROW, Objects.requireNonNull(error, "error"));
    }

    Builder add(Mode mode, Throwable error) {
      return builder.add(new Rule(where, state, detail, run, mode, error));
    }
  }

  /**
   * A call site of a plan being built: besides throwing as it starts, the call can complete
   * exceptionally, never complete, or time out.
   *
   * <p><b>Thread-safety:</b> not thread-safe.
   */
  public static final class CallSite extends Site {
    CallSite(Builder builder, String state, String callId) {
      super(builder, Where.CALL, state, callId);
    }

    /**
     * Says which run of the call fails.
     *
     * @param n the run, counted from 1
     * @return this site
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    @Override
    public CallSite onRun(int n) {
      super.onRun(n);
      return this;
    }

    /**
     * Makes the run complete exceptionally with an {@link InjectedFaultException}: an
     * asynchronous call returns a failed stage, a blocking call fails on the executor, a
     * synchronous call throws.
     *
     * @return the plan's builder
     */
    public Builder completingExceptionally() {
      return add(Mode.COMPLETE_EXCEPTIONALLY, null);
    }

    /**
     * Makes the run complete exceptionally with {@code error}, as
     * {@link #completingExceptionally()} does.
     *
     * @param error the failure
     * @return the plan's builder
     */
    public Builder completingExceptionally(Throwable error) {
      return add(Mode.COMPLETE_EXCEPTIONALLY, Objects.requireNonNull(error, "error"));
    }

    /**
     * Makes the run of an asynchronous call return a stage that never completes: the machine
     * waits until its state is left or the call's timeout fires. Only asynchronous calls can hang
     * this way; the plan is refused for another kind when applied.
     *
     * @return the plan's builder
     */
    public Builder neverCompleting() {
      return add(Mode.NEVER_COMPLETE, null);
    }

    /**
     * Makes the run time out: an asynchronous call with a timeout never completes, so the
     * engine's own timeout fires when the test advances time past it (its report is the engine's,
     * a {@link java.util.concurrent.TimeoutException} naming the call); any other call fails at
     * once with an injected {@code TimeoutException}.
     *
     * @return the plan's builder
     */
    public Builder timingOut() {
      return add(Mode.TIME_OUT, null);
    }
  }
}
