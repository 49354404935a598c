package dev.stator.internal.definition;

import dev.stator.internal.text.Printable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which states a machine can never enter: a walk from its initial states over every transition's
 * targets, each state entered by default expanded once, so that the walk is linear in the
 * definition. Stateless.
 */
final class Reachability {

  private Reachability() {}

  /**
   * The most unreachable states named one by one, and the most characters of their paths; the
   * rest are counted. A path repeats its ancestors' names, so naming every state of a deep tree
   * would take memory quadratic in it.
   */
  static final int MAX_LISTED_UNREACHABLE = 100;
  static final long MAX_LISTED_PATH_CHARS = 1 << 20;

  static List<String> unreachable(StateNode[] initialStates, List<StateNode> nodes,
      Map<StateNode, List<TransitionNode>> transitions) {
    Set<StateNode> reached = new LinkedHashSet<>();
    Deque<StateNode> work = new ArrayDeque<>();
    // states entered by default when they are targets: each is expanded once
    Set<StateNode> entered = new HashSet<>();
    Deque<StateNode> entering = new ArrayDeque<>();
    entering.addAll(java.util.Arrays.asList(initialStates));
    while (!entering.isEmpty() || !work.isEmpty()) {
      while (!entering.isEmpty()) {
        StateNode target = entering.poll();
        if (!entered.add(target)) {
          continue;
        }
        // the reached states always include their ancestors: a walk up stops at the first one
        for (StateNode s = target; s != null && mark(s, reached, work); s = s.parent) {
          // marked
        }
        if (target.isHistory()) {
          if (target.historyDefault != null) {
            entering.addAll(java.util.Arrays.asList(target.historyDefault));
          }
        } else if (target.isParallel()) {
          for (StateNode region : target.children) {
            if (!region.isHistory()) {
              entering.add(region);
            }
          }
        } else if (target.initial != null) {
          entering.add(target.initial);
        }
      }
      if (!work.isEmpty()) {
        for (TransitionNode t : transitions.get(work.poll())) {
          entering.addAll(java.util.Arrays.asList(t.targets));
        }
      }
    }
    List<String> warnings = new ArrayList<>();
    int unlisted = 0;
    long listedChars = 0;
    for (StateNode node : nodes) {
      if (!reached.contains(node)) {
        long length = node.pathLength();
        if (unlisted == 0 && warnings.size() < MAX_LISTED_UNREACHABLE
            && listedChars + length <= MAX_LISTED_PATH_CHARS) {
          listedChars += length;
          warnings.add("state '" + Printable.escape(node.pathUncached())
              + "' is unreachable from the initial state");
        } else {
          unlisted++;
        }
      }
    }
    if (unlisted > 0) {
      warnings.add(unlisted + " more " + (unlisted == 1 ? "state is" : "states are")
          + " unreachable from the initial state (only the first " + warnings.size()
          + " are named)");
    }
    return warnings;
  }

  /** Marks {@code s} reached; returns whether it was not before. */
  private static boolean mark(StateNode s, Set<StateNode> reached, Deque<StateNode> work) {
    if (reached.add(s)) {
      work.add(s);
      return true;
    }
    return false;
  }
}
