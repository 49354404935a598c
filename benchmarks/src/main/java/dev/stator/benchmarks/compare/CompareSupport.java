package dev.stator.benchmarks.compare;

import java.util.function.Consumer;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.squirrelframework.foundation.fsm.AnonymousAction;
import org.squirrelframework.foundation.fsm.AnonymousCondition;
import org.squirrelframework.foundation.fsm.StateMachine;
import reactor.core.publisher.Mono;

/**
 * What the comparison benchmarks share: the batch size, the checks their tear-downs make, and
 * small adapters that turn lambdas into the callback types of squirrel-foundation and Spring
 * Statemachine.
 */
final class CompareSupport {

  /** Events fired per benchmark invocation; every score is divided by it. */
  static final int BATCH = 1000;

  private CompareSupport() {
  }

  /**
   * Fails the trial when a counter or a state is not what the work done implies.
   *
   * @param what what is checked, for the message
   * @param actual what the implementation produced
   * @param expected what it should have produced
   */
  static void expect(String what, Object actual, Object expected) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(what + ": expected " + expected + " but was " + actual);
    }
  }

  /**
   * Fails the trial when nothing was done.
   *
   * @param what what is counted, for the message
   * @param count the count
   */
  static void expectPositive(String what, long count) {
    if (count <= 0) {
      throw new IllegalStateException(what + ": nothing happened (count " + count + ")");
    }
  }

  /**
   * A squirrel action that runs {@code body} on the context passed to {@code fire(event, context)}.
   * squirrel's {@code Action} is not a functional interface (it also has a name, a weight, an
   * async flag and a timeout), so lambdas go through {@link AnonymousAction}.
   */
  static <T extends StateMachine<T, S, E, C>, S, E, C> AnonymousAction<T, S, E, C> squirrelAction(
      Consumer<C> body) {
    return new AnonymousAction<>() {
      @Override
      public void execute(S from, S to, E event, C context, T machine) {
        body.accept(context);
      }
    };
  }

  /** The squirrel condition form of a context predicate, for the same reason as actions. */
  static <C> AnonymousCondition<C> squirrelCondition(java.util.function.Predicate<C> test) {
    return new AnonymousCondition<>() {
      @Override
      public boolean isSatisfied(C context) {
        return test.test(context);
      }
    };
  }

  /**
   * A prebuilt Spring event: Spring Statemachine 4 takes events as a {@code Mono<Message<E>>}.
   * A {@code Message} is immutable and {@code Mono.just} is replayable, so one is built per event
   * type and reused for every send; this spares Spring the message (headers map, id, timestamp)
   * a caller would otherwise build per event, and so favours Spring.
   */
  static <E> Mono<Message<E>> springEvent(E event) {
    return Mono.just(MessageBuilder.withPayload(event).build());
  }
}
