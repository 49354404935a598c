package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.CallDone;
import dev.stator.EventLoop;
import dev.stator.Machine;
import dev.stator.model.Invocation;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class BindingsTest {

  @Test
  void aBlankName_isRefusedNamingTheKind() {
    assertThatThrownBy(() -> Bindings.<Object>builder().action(" ", c -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot bind an action to the blank name \" \": JSON refers to it by name, so the"
            + " name must have a visible character");
  }

  @Test
  void aNameBoundTwiceForOneKind_isRefused_butKindsHaveTheirOwnNames() {
    Bindings.Builder<Object> builder = Bindings.builder().guard("ready", c -> true);

    assertThatThrownBy(() -> builder.guard("ready", c -> false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the name 'ready' is already bound to a guard; each guard name is bound once");
    builder.action("ready", c -> { }).build();
  }

  /** A context whose calls return typed results, as ordinary client code does. */
  static final class Phone {
    final List<Object> results = new CopyOnWriteArrayList<>();

    String greet() {
      return "hello";
    }

    CompletionStage<String> dial() {
      return CompletableFuture.completedFuture("session-1");
    }

    Callable<String> lookup() {
      return () -> "127.0.0.1";
    }
  }

  @Test
  void callsReturningAnyResultType_bindWithoutCasts_andTheirResultsComeBack() throws Exception {
    // the same shapes the DSL's invoke, invokeAsync and invokeBlocking accept: a lambda returning
    // CompletionStage<String> or Callable<String>, and a call written for a supertype of the context
    Invocation.Async<Object, Integer> anyContext = (context, step) -> CompletableFuture.completedFuture(7);
    Bindings<Phone> bindings = Bindings.<Phone>builder()
        .call("greet", (phone, step) -> phone.greet())
        .callAsync("dial", (phone, step) -> phone.dial())
        .callBlocking("lookup", phone -> phone.lookup())
        .callAsync("count", anyContext)
        .action("record", (phone, step) -> phone.results.add(((CallDone) step.event()).value()))
        .build();
    String json = """
        {"id": "phone", "initial": "greeting", "states": {
          "greeting": {"invoke": {"src": "greet", "onDone": {"target": "dialling", "actions": "record"}}},
          "dialling": {"invoke": {"src": "dial", "timeout": "5s",
                                  "onDone": {"target": "looking", "actions": "record"}}},
          "looking": {"invoke": {"src": "lookup", "timeout": "5s",
                                 "onDone": {"target": "counting", "actions": "record"}}},
          "counting": {"invoke": {"src": "count", "timeout": "5s",
                                  "onDone": {"target": "done", "actions": "record"}}},
          "done": {"type": "final"}}}
        """;
    JsonMachine<Phone> machine = JsonMachineReader.of(bindings).read("phone.json", json);
    assertThat(machine.warnings()).isEmpty();

    Phone phone = new Phone();
    try (EventLoop loop = EventLoop.start("bindings-test")) {
      Machine<Phone> running = loop.start(machine.definition(), phone);
      assertThat(running.lifecycle().get(10, TimeUnit.SECONDS).finalPath()).isEqualTo("done");
    }

    assertThat(phone.results).containsExactly("hello", "session-1", "127.0.0.1", 7);
  }
}
