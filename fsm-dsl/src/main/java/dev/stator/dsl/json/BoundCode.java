package dev.stator.dsl.json;

import dev.stator.Step;
import dev.stator.model.Action;
import dev.stator.model.Guard;
import dev.stator.model.Invocation;
import dev.stator.model.Output;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * The engine's callbacks made from a binding and the data its document wrote with it: an action
 * or a guard with its params, a call with its input, a final state's output. Each keeps the
 * binding and the data, so that {@link JsonMachineWriter} can write the name and the data back.
 * Immutable.
 */
final class BoundCode {

  private BoundCode() {}

  /** An action bound with params. */
  record ParamAction<C>(ParameterizedAction<? super C> action, JsonValue params)
      implements Action<C, Object> {
    @Override
    public void execute(C context, Step<Object> step) throws Exception {
      action.execute(context, step, params);
    }
  }

  /** A guard bound with params. */
  record ParamGuard<C>(ParameterizedGuard<? super C> guard, JsonValue params)
      implements Guard<C, Object> {
    @Override
    public boolean test(C context, Step<Object> step) throws Exception {
      return guard.test(context, step, params);
    }
  }

  /** A call made with the input its invoke writes. */
  interface WithInput {
    /** The bound call. */
    Object function();

    /** The invoke's input. */
    JsonValue input();
  }

  /** A synchronous call with its input. */
  record SyncCall(InputCall.Sync<Object, ?> function, JsonValue input)
      implements Invocation.Sync<Object, Object>, WithInput {
    @Override
    public Object call(Object context, Step<Object> step) throws Exception {
      return function.call(context, step, input);
    }
  }

  /** An asynchronous call with its input. */
  record AsyncCall(InputCall.Async<Object, ?> function, JsonValue input)
      implements Invocation.Async<Object, Object>, WithInput {
    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<Object> start(Object context, Step<Object> step) throws Exception {
      return (CompletionStage<Object>) function.start(context, step, input);
    }
  }

  /** A blocking call with its input. */
  record BlockingCall(InputCall.Blocking<Object, ?> function, JsonValue input)
      implements Invocation.Blocking<Object, Object>, WithInput {
    @Override
    @SuppressWarnings("unchecked")
    public Callable<Object> prepare(Object context) throws Exception {
      return (Callable<Object>) function.prepare(context, input);
    }
  }

  /** A final state's done data written in the document: the same value on every entry. */
  record StaticOutput<C>(JsonValue value) implements Output<C> {
    @Override
    public Object compute(C context, Step<Object> step) {
      return value;
    }
  }

  /** Makes the engine's call of a binding that takes input. */
  @SuppressWarnings("unchecked")
  static Object withInput(Invocation.Kind kind, Object function, JsonValue input) {
    return switch (kind) {
      case SYNC -> new SyncCall((InputCall.Sync<Object, ?>) function, input);
      case ASYNC -> new AsyncCall((InputCall.Async<Object, ?>) function, input);
      case BLOCKING -> new BlockingCall((InputCall.Blocking<Object, ?>) function, input);
    };
  }
}
