package dev.stator.reference;

import dev.stator.StateDone;
import dev.stator.UnhandledEventPolicy;
import dev.stator.RecoveryPolicy;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.MachineSpec;
import dev.stator.model.Output;
import dev.stator.model.StateSpec;
import dev.stator.model.TransitionSpec;
import dev.stator.model.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random statechart: nested compound and parallel states, final states (in regions too),
 * shallow and deep history with and without default targets, eventless transitions guarded on
 * {@link Ctx#n}, internal and targetless transitions, transitions with two targets in two regions,
 * {@code onDone} transitions and final-state outputs. Every action appends a distinct label to
 * {@link Ctx#log}: {@code enter:<path>}, {@code exit:<path>}, {@code t:<k>} (with the done event it
 * took, {@code t:3<p/q=o:f:1>}). Transition actions, and some entry and exit actions, change
 * {@code n}; guards only read it, and outputs report it. Only valid charts are generated.
 */
public final class RandomChart {

  /** A state as generated, before it becomes a {@link StateSpec}. */
  static final class G {
    String name;
    String id;
    StateSpec.Type type;
    String initial;
    final List<G> children = new ArrayList<>();
    final List<T> transitions = new ArrayList<>();
    boolean output;
    /** Whether the entry (exit) action also increments n, which later guards and outputs see. */
    boolean countOnEntry;
    boolean countOnExit;
    G parent;

    String path() {
      return parent == null ? name : parent.path() + "/" + name;
    }

    boolean isCompound() {
      return type == StateSpec.Type.NORMAL && !children.isEmpty();
    }

    boolean isHistory() {
      return type == StateSpec.Type.SHALLOW_HISTORY || type == StateSpec.Type.DEEP_HISTORY;
    }

    boolean isDescendantOf(G other) {
      for (G p = parent; p != null; p = p.parent) {
        if (p == other) {
          return true;
        }
      }
      return false;
    }

    List<G> regions() {
      return children.stream().filter(c -> !c.isHistory()).toList();
    }

    /** The done-event id: the explicit id or the path. */
    String doneId() {
      return id != null ? id : path();
    }
  }

  /** A transition as generated. */
  static final class T {
    Trigger trigger;
    /** 0 none, 1 {@code n < k}, 2 {@code n == k}, 3 {@code n % 2 == k}. */
    int guardKind;
    int guardK;
    final List<String> targets = new ArrayList<>();
    boolean internal;
    int label;
    /** 0 none, 1 {@code n++}, 2 {@code n = k}. */
    int effect;
    int effectK;
  }

  private final Random random;
  private final int maxDepth;
  private int names;
  private int labels;
  private final List<G> top = new ArrayList<>();
  private final List<G> all = new ArrayList<>();
  private String initial;

  /** What the chart contains, for statistics. */
  boolean hasParallel;
  boolean hasHistory;
  boolean hasMultiTarget;
  boolean hasOnDone;
  boolean hasFinalInRegion;
  boolean hasInternal;
  boolean hasReusedNames;
  /** Whether the root is parallel: every top-level state a region. */
  boolean parallelRoot;

  private RandomChart(long seed) {
    this.random = new Random(seed);
    this.maxDepth = 2 + random.nextInt(4);
  }

  /**
   * Generates the chart of a seed.
   *
   * @param seed the seed; the same seed gives the same chart
   * @return the chart
   */
  public static RandomChart generate(long seed) {
    RandomChart chart = new RandomChart(seed);
    chart.build();
    return chart;
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private <X> X pick(List<X> list) {
    return list.get(random.nextInt(list.size()));
  }

  private G newState(StateSpec.Type type, G parent) {
    G g = new G();
    int number = names++;
    g.name = "s" + number;
    // now and then the name of a state elsewhere: names are unique among siblings only
    List<G> siblings = parent == null ? top : parent.children;
    List<String> taken = siblings.stream().map(s -> s.name).toList();
    List<String> reusable = all.stream().map(s -> s.name).filter(n -> !taken.contains(n))
        .distinct().toList();
    if (!reusable.isEmpty() && chance(0.15)) {
      g.name = pick(reusable);
      hasReusedNames = true;
    }
    g.type = type;
    g.parent = parent;
    if (!g.isHistory()) {
      g.countOnEntry = chance(0.1);
      g.countOnExit = chance(0.1);
    }
    if (!g.isHistory() && chance(0.2)) {
      g.id = "I" + number;
    }
    all.add(g);
    return g;
  }

  private void build() {
    parallelRoot = chance(0.2);
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      top.add(state(1, null, false));
    }
    if (!parallelRoot && chance(0.3)) {
      G done = newState(StateSpec.Type.FINAL, null);
      top.add(random.nextInt(top.size() + 1), done);
    }
    List<G> startable = top.stream().filter(g -> g.type != StateSpec.Type.FINAL).toList();
    if (!parallelRoot) {
      initial = chance(0.8) ? startable.get(0).name : pick(startable).name;
    }
    for (G g : all) {
      if (g.isHistory()) {
        historyDefault(g);
      }
    }
    for (G g : new ArrayList<>(all)) {
      if (!g.isHistory() && g.type != StateSpec.Type.FINAL) {
        int n = random.nextInt(10);
        int transitions = n < 3 ? 0 : n < 6 ? 1 : n < 9 ? 2 : 3;
        for (int i = 0; i < transitions; i++) {
          g.transitions.add(transition(g));
        }
      }
    }
    for (G p : all) {
      if (p.type == StateSpec.Type.PARALLEL && chance(0.9)) {
        finishRegions(p);
      }
    }
    if (parallelRoot && chance(0.7)) {
      G root = new G();
      root.children.addAll(top);
      finishRegions(root);
    }
  }

  /**
   * One event that takes every region of a parallel state from its initial child to a final state,
   * in one microstep: the way to the parallel state's done event.
   */
  private void finishRegions(G parallel) {
    String event = pick(List.of("a", "b", "c"));
    for (G region : parallel.regions()) {
      G first = region.children.stream().filter(c -> c.name.equals(region.initial)).findFirst()
          .orElse(null);
      List<G> finals = region.children.stream().filter(c -> c.type == StateSpec.Type.FINAL)
          .toList();
      if (first != null && first.type == StateSpec.Type.NORMAL && !finals.isEmpty()) {
        T t = new T();
        t.label = labels++;
        t.trigger = new Trigger.OnEvent(event);
        t.targets.add(reference(pick(finals), first));
        first.transitions.add(random.nextInt(first.transitions.size() + 1), t);
      }
    }
  }

  /** A normal, compound or parallel state at {@code depth} (1 for the top). */
  private G state(int depth, G parent, boolean region) {
    int roll = random.nextInt(100);
    if (depth >= maxDepth || roll < (region ? 15 : 40)) {
      return newState(StateSpec.Type.NORMAL, parent);
    }
    if (roll < 75) {
      G g = newState(StateSpec.Type.NORMAL, parent);
      int n = 1 + random.nextInt(3);
      for (int i = 0; i < n; i++) {
        g.children.add(state(depth + 1, g, false));
      }
      List<G> normal = List.copyOf(g.children);
      g.initial = chance(0.85) ? normal.get(0).name : pick(normal).name;
      if (chance(region ? 0.85 : 0.4)) {
        G f = newState(StateSpec.Type.FINAL, g);
        f.output = chance(0.5);
        g.children.add(random.nextInt(g.children.size() + 1), f);
        hasFinalInRegion |= region;
      }
      if (chance(0.3)) {
        G h = newState(chance(0.5) ? StateSpec.Type.SHALLOW_HISTORY : StateSpec.Type.DEEP_HISTORY, g);
        g.children.add(random.nextInt(g.children.size() + 1), h);
        hasHistory = true;
        if (chance(0.1)) {
          // entered through its history, which then needs a default target
          g.initial = h.name;
          h.initial = "";
        }
      }
      return g;
    }
    hasParallel = true;
    G g = newState(StateSpec.Type.PARALLEL, parent);
    int n = 2 + random.nextInt(2);
    for (int i = 0; i < n; i++) {
      g.children.add(state(depth + 1, g, true));
    }
    if (chance(0.25)) {
      G h = newState(chance(0.5) ? StateSpec.Type.SHALLOW_HISTORY : StateSpec.Type.DEEP_HISTORY, g);
      g.children.add(random.nextInt(g.children.size() + 1), h);
      hasHistory = true;
    }
    return g;
  }

  /** A default target for some history states (always for one its parent enters through). */
  private void historyDefault(G h) {
    boolean needed = h.initial != null;
    h.initial = null;
    if (!needed && chance(0.5)) {
      return;
    }
    List<G> candidates = new ArrayList<>();
    for (G g : all) {
      boolean inside = h.type == StateSpec.Type.DEEP_HISTORY ? g.isDescendantOf(h.parent)
          : g.parent == h.parent;
      if (inside && !g.isHistory()) {
        candidates.add(g);
      }
    }
    h.initial = reference(pick(candidates), h);
  }

  private T transition(G source) {
    T t = new T();
    t.label = labels++;
    int roll = random.nextInt(100);
    boolean hasChildren = !source.children.isEmpty();
    List<G> doneable = all.stream().filter(g -> g.isCompound()
        || g.type == StateSpec.Type.PARALLEL).toList();
    if (hasChildren && roll < 15) {
      t.trigger = new Trigger.OnStateDone();
      hasOnDone = true;
    } else if (!doneable.isEmpty() && roll < 20) {
      t.trigger = new Trigger.OnEvent("done.state." + pick(doneable).doneId());
      hasOnDone = true;
    } else if (roll < 42) {
      t.trigger = new Trigger.Always();
    } else {
      t.trigger = new Trigger.OnEvent(pick(List.of("a", "b", "c")));
    }
    boolean eventless = t.trigger instanceof Trigger.Always;
    // eventless and done transitions can loop: mostly [n<k] or [n==k] with n++, so that chains end
    boolean chained = eventless || t.trigger instanceof Trigger.OnStateDone
        || (t.trigger instanceof Trigger.OnEvent on && on.event().toString().startsWith("done"));
    int e = random.nextInt(100);
    if (eventless) {
      t.guardKind = e < 75 ? 1 : e < 97 ? 2 : 0;
      t.effect = 1;
    } else if (chained) {
      t.guardKind = e < 50 ? 1 : e < 60 ? 2 : 0;
      t.effect = e < 90 ? 1 : 2;
    } else {
      t.guardKind = e < 60 ? 0 : 1 + random.nextInt(3);
      int f = random.nextInt(10);
      t.effect = f < 5 ? 0 : f < 7 ? 1 : 2;
    }
    t.guardK = t.guardKind == 3 ? random.nextInt(2) : t.guardKind == 1 ? 1 + random.nextInt(3)
        : random.nextInt(4);
    t.effectK = random.nextInt(3);
    List<G> parallels = all.stream().filter(g -> g.type == StateSpec.Type.PARALLEL).toList();
    int shape = random.nextInt(100);
    List<G> targets = new ArrayList<>();
    if (shape < 15) {
      // targetless
    } else if (shape < 30 && !parallels.isEmpty()) {
      G p = pick(parallels);
      List<G> regions = new ArrayList<>(p.regions());
      G r1 = regions.remove(random.nextInt(regions.size()));
      G r2 = pick(regions);
      targets.add(inside(r1));
      targets.add(inside(r2));
      hasMultiTarget = true;
    } else if (shape < 38) {
      targets.add(source);
    } else {
      targets.add(target(source));
    }
    for (G target : targets) {
      t.targets.add(reference(target, source));
    }
    if (!targets.isEmpty() && targets.stream().allMatch(g -> g.isDescendantOf(source))
        && chance(0.5)) {
      t.internal = true;
      hasInternal = true;
    }
    return t;
  }

  /** A single target: often a final state near the source, a descendant or a relative. */
  private G target(G source) {
    List<G> finals = new ArrayList<>();
    for (G p = source.parent; p != null && finals.isEmpty(); p = p.parent) {
      for (G c : p.children) {
        if (c.type == StateSpec.Type.FINAL) {
          finals.add(c);
        }
      }
    }
    List<G> inner = all.stream().filter(g -> g.isDescendantOf(source)).toList();
    List<G> relatives = source.parent == null ? all
        : all.stream().filter(g -> g.isDescendantOf(source.parent)).toList();
    int roll = random.nextInt(100);
    if (roll < 35 && !finals.isEmpty()) {
      return pick(finals);
    } else if (roll < 50 && !inner.isEmpty()) {
      return pick(inner);
    } else if (roll < 70) {
      return pick(relatives);
    }
    return pick(all);
  }

  /** A state of the region's subtree, the region itself included. */
  private G inside(G region) {
    List<G> candidates = new ArrayList<>();
    candidates.add(region);
    List<G> finals = new ArrayList<>();
    for (G g : all) {
      if (g.isDescendantOf(region)) {
        candidates.add(g);
        if (g.type == StateSpec.Type.FINAL) {
          finals.add(g);
        }
      }
    }
    return !finals.isEmpty() && chance(0.5) ? pick(finals) : pick(candidates);
  }

  /**
   * How a target is written: by id, by path, or by name when the name leads to it from
   * {@code from} (the nearest state of that name: a sibling of {@code from}, else a child of its
   * parent's parent, and so on outwards).
   */
  private String reference(G target, G from) {
    if (target.id != null && chance(0.4)) {
      return "#" + target.id;
    }
    if (chance(0.3) || resolveName(target.name, from) != target) {
      return target.path();
    }
    return target.name;
  }

  private G resolveName(String name, G from) {
    List<G> named = all.stream().filter(g -> g.name.equals(name)).toList();
    if (named.size() == 1) {
      return named.get(0);
    }
    for (G scope = from.parent; ; scope = scope.parent) {
      List<G> level = scope == null ? top : scope.children;
      for (G g : level) {
        if (g.name.equals(name)) {
          return g;
        }
      }
      if (scope == null) {
        return null;
      }
    }
  }

  // ---------------------------------------------------------------- the spec

  /** Returns the specification. */
  public MachineSpec<Ctx> spec() {
    return new MachineSpec<>("chart", initial, top.stream().map(this::spec).toList(),
        UnhandledEventPolicy.IGNORE, RecoveryPolicy.exit(), parallelRoot,
        List.of((c, step) -> c.log.add("exit:(root)")),
        (c, step) -> {
          c.log.add("output:" + c.n);
          return c.n;
        }, List.of());
  }

  private StateSpec<Ctx> spec(G g) {
    String path = g.path();
    List<Action<Ctx, Object>> entry = List.of();
    List<Action<Ctx, Object>> exit = List.of();
    if (!g.isHistory()) {
      boolean countIn = g.countOnEntry;
      boolean countOut = g.countOnExit;
      entry = List.of((c, step) -> {
        c.log.add("enter:" + path);
        c.n += countIn ? 1 : 0;
      });
      exit = List.of((c, step) -> {
        c.log.add("exit:" + path);
        c.n += countOut ? 1 : 0;
      });
    }
    String name = g.name;
    Output<Ctx> output = g.output ? (c, step) -> "o:" + name + ":" + c.n : null;
    return new StateSpec<>(g.name, g.id, g.type, g.initial,
        g.children.stream().map(this::spec).toList(), entry, exit,
        g.transitions.stream().map(RandomChart::spec).toList(), List.of(), output, null);
  }

  private static TransitionSpec<Ctx> spec(T t) {
    Guard<Ctx, Object> guard = switch (t.guardKind) {
      case 1 -> (c, step) -> c.n < t.guardK;
      case 2 -> (c, step) -> c.n == t.guardK;
      case 3 -> (c, step) -> c.n % 2 == t.guardK;
      default -> null;
    };
    boolean eventless = t.trigger instanceof Trigger.Always;
    String label = "t:" + t.label;
    Action<Ctx, Object> action = (c, step) -> {
      String taken = label;
      if (!eventless && step.event() instanceof StateDone done) {
        taken += "<" + done.state() + "=" + done.output() + ">";
      }
      c.log.add(taken);
      switch (t.effect) {
        case 1 -> c.n++;
        case 2 -> c.n = t.effectK;
        default -> { }
      }
    };
    return new TransitionSpec<>(t.trigger, guard, t.targets, t.internal, List.of(action));
  }

  // ---------------------------------------------------------------- the printout

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("chart, " + (parallelRoot ? "parallel root"
        : "initial " + initial) + "\n");
    for (G g : top) {
      print(g, 1, out);
    }
    return out.toString();
  }

  private static void print(G g, int indent, StringBuilder out) {
    out.append("  ".repeat(indent)).append(g.name);
    switch (g.type) {
      case PARALLEL -> out.append(" parallel");
      case FINAL -> out.append(" final").append(g.output ? " (output)" : "");
      case SHALLOW_HISTORY -> out.append(" shallow-history");
      case DEEP_HISTORY -> out.append(" deep-history");
      case NORMAL -> { }
    }
    if (g.id != null) {
      out.append(" #").append(g.id);
    }
    if (g.initial != null) {
      out.append(g.isHistory() ? " default " : " initial ").append(g.initial);
    }
    if (g.countOnEntry) {
      out.append(" (entry n++)");
    }
    if (g.countOnExit) {
      out.append(" (exit n++)");
    }
    out.append('\n');
    for (T t : g.transitions) {
      out.append("  ".repeat(indent + 1)).append("- ").append(t.trigger);
      switch (t.guardKind) {
        case 1 -> out.append(" [n<").append(t.guardK).append(']');
        case 2 -> out.append(" [n==").append(t.guardK).append(']');
        case 3 -> out.append(" [n%2==").append(t.guardK).append(']');
        default -> { }
      }
      out.append(" -> ").append(t.targets.isEmpty() ? "(stay)" : String.join(", ", t.targets));
      if (t.internal) {
        out.append(" internal");
      }
      out.append(" / t:").append(t.label);
      switch (t.effect) {
        case 1 -> out.append(" n++");
        case 2 -> out.append(" n=").append(t.effectK);
        default -> { }
      }
      out.append('\n');
    }
    for (G c : g.children) {
      print(c, indent + 1, out);
    }
  }
}
