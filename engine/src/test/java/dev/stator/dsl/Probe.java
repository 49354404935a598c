package dev.stator.dsl;

import dev.stator.DeadLetter;
import dev.stator.Failure;
import dev.stator.LoopOptions;
import dev.stator.testing.TestLoop;
import java.util.ArrayList;
import java.util.List;

/** A test loop whose handlers record what they are given. */
final class Probe {
  final List<Failure> unobserved = new ArrayList<>();
  final List<Failure> escalated = new ArrayList<>();
  final List<DeadLetter> deadLetters = new ArrayList<>();
  final TestLoop loop;

  Probe() {
    this(LoopOptions.DEFAULTS);
  }

  Probe(LoopOptions base) {
    loop = TestLoop.create(base
        .withUnobservedFailureHandler(unobserved::add)
        .withFatalFailureHandler(escalated::add)
        .withDeadLetterHandler(deadLetters::add), 42L);
  }
}
