package dev.stator.dsl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.DefinitionException;
import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.dsl.MachineBuilder;
import dev.stator.dsl.StateBuilder;
import dev.stator.dsl.Stator;
import dev.stator.model.MachineSpec;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The front ends resolve a transition's target with {@link SpecTree} before (or without)
 * compiling; the engine's compiler resolves it again, with its own code. On random trees, with
 * names repeated under different parents, explicit ids (one of them equal to a top-level path)
 * and every written form of a target — a name, a path, {@code #id}, {@code #path}, and names of
 * no state — the two must name the same state: the compiler refuses exactly the targets SpecTree
 * cannot resolve, and a machine taking the transition ends up inside the state SpecTree named.
 * (SpecTree's own rules are pinned by the JSON reader's and writer's tests; this pins the two
 * implementations to each other.)
 */
final class SpecTreeResolutionProperties {

  private static final String[] NAMES = {"a", "b", "c"};

  /** A state of the generated tree: its name, explicit id or null, and children. */
  private record Gen(String name, String id, List<Gen> children, String path) {}

  @Property(tries = 1000)
  void specTree_andTheCompiler_resolveEveryTargetToTheSameState(@ForAll long seed) {
    Random random = new Random(seed);
    List<String> ids = new ArrayList<>(List.of("i1", "i2", "a"));
    List<Gen> top = generate(random, ids, null, 0);
    List<Gen> all = new ArrayList<>();
    flatten(top, all);
    List<Gen> leaves = all.stream().filter(g -> g.children().isEmpty()).toList();
    Gen source = leaves.get(random.nextInt(leaves.size()));
    String target = target(random, all);

    // the source is the initial leaf: every initial state lies on its path
    MachineBuilder<String, Object> builder = Stator.<String, Object>machine("m")
        .initial(onPathTo(top, source).name());
    for (Gen g : top) {
      builder.state(g.name(), s -> body(s, g, source, target));
    }
    MachineSpec<Object> spec = builder.spec();
    SpecTree tree = SpecTree.of(spec.states());
    SpecTree.Node from = tree.nodes().stream()
        .filter(n -> n.path().equals(source.path())).findFirst().orElseThrow();
    SpecTree.Node expected = tree.resolve(target, from);

    MachineDefinition<Object> definition;
    try {
      definition = builder.build();
    } catch (DefinitionException refused) {
      assertThat(expected).as("SpecTree resolved '%s' from %s, the compiler refused it: %s",
          target, source.path(), refused.getMessage()).isNull();
      return;
    }
    assertThat(expected).as("the compiler resolved '%s' from %s, SpecTree did not", target,
        source.path()).isNotNull();
    TestLoop loop = TestLoop.create();
    Machine<Object> machine = loop.start(definition, new Object());
    machine.send("go");
    assertThat(machine.state().matches(expected.path()))
        .as("'%s' from %s: SpecTree says %s, the machine is in %s", target, source.path(),
            expected.path(), machine.state().path())
        .isTrue();
  }

  private static List<Gen> generate(Random random, List<String> ids, Gen parent, int depth) {
    int count = depth == 0 ? 2 + random.nextInt(2) : 1 + random.nextInt(3);
    List<Gen> states = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = NAMES[i];
      String path = parent == null ? name : parent.path() + "/" + name;
      String id = !ids.isEmpty() && random.nextInt(6) == 0
          ? ids.remove(random.nextInt(ids.size())) : null;
      List<Gen> children = new ArrayList<>();
      Gen g = new Gen(name, id, children, path);
      if (depth < 3 && random.nextInt(5) < 2) {
        children.addAll(generate(random, ids, g, depth + 1));
      }
      states.add(g);
    }
    return states;
  }

  /** The one of {@code states} that is the source or holds it, else the first. */
  private static Gen onPathTo(List<Gen> states, Gen source) {
    for (Gen g : states) {
      if (source.path().equals(g.path()) || source.path().startsWith(g.path() + "/")) {
        return g;
      }
    }
    return states.get(0);
  }

  private static void flatten(List<Gen> states, List<Gen> into) {
    for (Gen g : states) {
      into.add(g);
      flatten(g.children(), into);
    }
  }

  private static String target(Random random, List<Gen> all) {
    Gen to = all.get(random.nextInt(all.size()));
    return switch (random.nextInt(6)) {
      case 0, 1 -> to.name();
      case 2 -> to.path();
      case 3 -> "#" + to.path();
      case 4 -> to.id() != null ? "#" + to.id() : "#" + to.name();
      default -> random.nextBoolean() ? "z" : to.path() + "/z";
    };
  }

  private static StateBuilder<String, Object> body(StateBuilder<String, Object> s, Gen g,
      Gen source, String target) {
    if (g.id() != null) {
      s.id(g.id());
    }
    if (g == source) {
      s.on("go").goToTargets(target);
    }
    if (!g.children().isEmpty()) {
      s.initial(onPathTo(g.children(), source).name());
      for (Gen child : g.children()) {
        s.state(child.name(), c -> body(c, child, source, target));
      }
    }
    return s;
  }
}
