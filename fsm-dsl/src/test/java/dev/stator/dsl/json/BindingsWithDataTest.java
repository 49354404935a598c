package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Machine;
import dev.stator.testing.TestLoop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The data a document gives its bindings: the params of actions and guards, the input of calls,
 * named delays, and done data (a final state's output, a call's result) reaching the guards and
 * actions of {@code onDone}. The machine is {@code json/valid/bindings-with-data.json}.
 */
final class BindingsWithDataTest {

  private static final Path CHECKOUT = Path.of("src/test/resources/json/valid/bindings-with-data.json");

  /** The context: items in the cart, and what the bindings saw. */
  static final class Shop {
    int items;
    final List<String> log = new ArrayList<>();
    final List<Object> doneData = new ArrayList<>();
    JsonValue quoteInput;
  }

  private final TestLoop loop = TestLoop.create();

  @AfterEach
  void close() {
    loop.close();
  }

  static Bindings.Builder<Shop> shopBindings() {
    ParameterizedAction<Shop> log = (shop, step, params) ->
        shop.log.add(params.has("message") ? params.string("message") : "(no message)");
    return Bindings.<Shop>builder()
        .action("log", log)
        .action("addItems", (ParameterizedAction<Shop>) (shop, step, params) ->
            shop.items += (int) params.integer("count"))
        .action("recordDoneData", (shop, step) -> shop.doneData.add(Bindings.doneData(step)))
        .guard("itemsAtLeast", (ParameterizedGuard<Shop>) (shop, step, params) ->
            shop.items >= params.integer("count"))
        .guard("totalAbove", (ParameterizedGuard<Shop>) (shop, step, params) ->
            (Integer) Bindings.doneData(step) > params.integer("limit"))
        .guard("outputSays", (ParameterizedGuard<Shop>) (shop, step, params) ->
            ((JsonValue) Bindings.doneData(step)).bool(params.string("key")))
        .call("quote", (InputCall.Sync<Shop, Integer>) (shop, step, input) -> {
          shop.quoteInput = input;
          return shop.items * 50;
        })
        .delay("paymentWindow", Duration.ofMinutes(15));
  }

  private Machine<Shop> start(Shop shop) {
    return loop.start(JsonMachineReader.of(shopBindings().build()).read(CHECKOUT).definition(), shop);
  }

  @Test
  void aParameterizedAction_receivesTheParamsOfEachUse_andTheEmptyObjectWhereNoneAreWritten() {
    Shop shop = new Shop();
    start(shop);

    assertThat(shop.log).containsExactly("cart opened", "(no message)");
  }

  @Test
  void aParameterizedGuard_decidesWithItsParams_theFirstTransitionWhoseParamsHoldIsTaken() {
    Shop bulk = new Shop();
    Machine<Shop> machine = start(bulk);
    machine.send("ADD");
    machine.send("ADD");
    machine.send("ADD");
    machine.send("CHECKOUT");

    assertThat(bulk.items).isEqualTo(3);
    assertThat(bulk.log).contains("bulk");

    Shop empty = new Shop();
    Machine<Shop> none = start(empty);
    none.send("CHECKOUT");
    assertThat(none.state().activeStates()).containsExactly("cart");
  }

  @Test
  void invokeInput_reachesTheCall_andItsResultReachesTheOnDoneGuardsAndActions() {
    Shop shop = new Shop();
    Machine<Shop> machine = start(shop);
    machine.send("ADD");
    machine.send("ADD");
    machine.send("ADD");
    machine.send("CHECKOUT");

    assertThat(shop.quoteInput.string("currency")).isEqualTo("EUR");
    assertThat(shop.quoteInput.get("rates").items()).extracting(JsonValue::asDouble)
        .containsExactly(1.0, 2.5);
    // 3 items quote 150, above the guard's limit of 100: the first onDone transition, no "small"
    assertThat(shop.doneData).containsExactly(150);
    assertThat(shop.log).doesNotContain("small");
    assertThat(machine.state().activeStates()).containsExactly("paying/waiting");
  }

  @Test
  void aCallsResultThatFailsTheGuard_fallsToTheNextOnDoneTransition() {
    Shop shop = new Shop();
    Machine<Shop> machine = start(shop);
    machine.send("ADD");
    machine.send("CHECKOUT");

    assertThat(shop.doneData).containsExactly(50);
    assertThat(shop.log).endsWith("small");
  }

  @Test
  void aFinalStatesOutput_isTheDoneDataOfItsParentsOnDone_forItsGuardAndItsActions() {
    Shop shop = new Shop();
    Machine<Shop> machine = start(shop);
    machine.send("ADD");
    machine.send("CHECKOUT");
    machine.send("PAY");

    assertThat(machine.lifecycle()).isCompleted();
    JsonValue receipt = (JsonValue) shop.doneData.get(1);
    assertThat(receipt.toString()).isEqualTo("{\"receipt\":true,\"ref\":\"R-1\"}");
    assertThat(receipt.toJava()).isEqualTo(java.util.Map.of("receipt", true, "ref", "R-1"));
  }

  @Test
  void aNamedDelay_firesAfterTheDurationItIsBoundTo() {
    Shop shop = new Shop();
    Machine<Shop> machine = start(shop);
    machine.send("ADD");
    machine.send("CHECKOUT");

    loop.advance(Duration.ofMinutes(15).minusMillis(1));
    assertThat(machine.state().activeStates()).containsExactly("paying/waiting");
    loop.advance(Duration.ofMillis(1));

    // expired's output says no receipt: the guarded onDone fails and the plain one goes back
    assertThat(machine.state().activeStates()).containsExactly("cart");
  }

  @Test
  void anAsyncCall_receivesItsInput_andItsValueIsTheDoneData() {
    String json = """
        {"id": "echo", "initial": "asking", "states": {
          "asking": {"invoke": {"src": "echo", "timeout": "1s", "input": {"say": "hi"},
            "onDone": {"target": "done", "actions": "recordDoneData"}}},
          "done": {"type": "final"}}}
        """;
    Bindings<Shop> bindings = Bindings.<Shop>builder()
        .callAsync("echo", (InputCall.Async<Shop, String>) (shop, step, input) ->
            CompletableFuture.completedFuture(input.string("say")))
        .action("recordDoneData", (shop, step) -> shop.doneData.add(Bindings.doneData(step)))
        .build();
    Shop shop = new Shop();
    Machine<Shop> machine = loop.start(JsonMachineReader.of(bindings).read("echo.json", json)
        .definition(), shop);
    loop.runUntilIdle();

    assertThat(shop.doneData).containsExactly("hi");
    assertThat(machine.lifecycle()).isCompleted();
  }

  @Test
  void paramsOrInputGivenToABindingThatTakesNone_areErrorsAtTheData_namingTheBinding() {
    String json = """
        {"id": "lost", "initial": "a", "states": {
          "a": {"entry": {"type": "plain", "params": {"x": 1}},
                "invoke": {"src": "plainCall", "input": 5},
                "on": {"GO": {"target": "b", "guard": {"type": "plainGuard", "params": {}}}}},
          "b": {}}}
        """;
    Bindings<Shop> bindings = Bindings.<Shop>builder()
        .action("plain", shop -> { })
        .guard("plainGuard", shop -> true)
        .call("plainCall", (shop, step) -> null)
        .build();

    assertThatThrownBy(() -> JsonMachineReader.of(bindings).read("lost.json", json))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("lost.json:2:46: /states/a/entry/params: action \"plain\" is bound"
            + " without params, so its \"params\" would be lost; bind it with"
            + " Bindings.Builder.action(name, (context, step, params) -> …), a ParameterizedAction,"
            + " or remove \"params\"")
        .hasMessageContaining("/states/a/invoke/input: call \"plainCall\" is bound without input")
        .hasMessageContaining("/states/a/on/GO/guard/params: guard \"plainGuard\" is bound without"
            + " params");
  }

  @Test
  void aNameBoundAsAnotherKind_isReportedAsSuch() {
    String json = """
        {"id": "kinds", "initial": "a", "states": {"a": {"entry": "quote"}}}
        """;

    assertThatThrownBy(() -> JsonMachineReader.of(shopBindings().build()).read("kinds.json", json))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("kinds.json:1:59: /states/a/entry: no action is bound to the name"
            + " \"quote\" (\"quote\" is bound as a call, not as an action)");
  }

  @Test
  void anAfterKeyThatIsNeitherADurationNorABoundDelay_isAnError_withTheNearestDelayName() {
    String json = """
        {"id": "late", "initial": "a", "states": {"a": {"after": {"paymentWindw": "b"}}, "b": {}}}
        """;

    assertThatThrownBy(() -> JsonMachineReader.of(shopBindings().build()).read("late.json", json))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("/states/a/after/paymentWindw: \"paymentWindw\" is not a delay:"
            + " neither a duration")
        .hasMessageContaining("nor the name of a bound delay; did you mean \"paymentWindow\"?");
  }

  @Test
  void aDelayNameThatReadsAsADuration_orANegativeDelay_cannotBeBound() {
    assertThatThrownBy(() -> Bindings.<Shop>builder().delay("5s", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot bind a delay to the name \"5s\": it reads as a duration");
    assertThatThrownBy(() -> Bindings.<Shop>builder().delay("soon", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delay 'soon' cannot be negative");
  }

  @Test
  void xstate4sData_isReadAsTheOutputOfAFinalState_andAsTheInputOfACall_butNotBesideThem() {
    String json = """
        {"id": "v4", "initial": "asking", "states": {
          "asking": {"invoke": {"src": "quote", "data": {"currency": "CHF"},
            "onDone": {"target": "paying", "actions": "recordDoneData"}}},
          "paying": {"initial": "p", "onDone": {"target": "paid", "actions": "recordDoneData"},
            "states": {"p": {"on": {"PAY": "ok"}}, "ok": {"type": "final", "data": {"paid": 1}}}},
          "paid": {"type": "final"}}}
        """;
    Shop shop = new Shop();
    Machine<Shop> machine = loop.start(JsonMachineReader.of(shopBindings().build())
        .read("v4.json", json).definition(), shop);
    machine.send("PAY");

    assertThat(shop.quoteInput.string("currency")).isEqualTo("CHF");
    assertThat(shop.doneData).extracting(String::valueOf).containsExactly("0", "{\"paid\":1}");
    String both = json.replace("\"data\": {\"paid\": 1}", "\"data\": {\"paid\": 1}, \"output\": 2");
    assertThatThrownBy(() -> JsonMachineReader.of(shopBindings().build()).read("v4.json", both))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("/states/paying/states/ok/data: \"data\" is XState 4's name for"
            + " \"output\"; write one of them");
  }

  @Test
  void outputOnAStateThatIsNotFinal_isAnError() {
    String json = """
        {"id": "out", "initial": "a", "states": {"a": {"output": {"x": 1}}}}
        """;

    assertThatThrownBy(() -> JsonMachineReader.of(Bindings.noOps()).read("out.json", json))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("/states/a/output: \"output\" is the done data of a final state;"
            + " state \"a\" is not final");
  }

  @Test
  void aDelayTheMachineNeverNames_isAnUnusedBindingWarning() {
    Bindings<Shop> bindings = shopBindings().delay("lunchBreak", Duration.ofHours(1)).build();

    JsonMachine<Shop> loaded = JsonMachineReader.of(bindings).read(CHECKOUT);

    assertThat(loaded.warnings()).anySatisfy(warning -> assertThat(warning).contains("lunchBreak"));
    assertThat(loaded.warnings()).noneSatisfy(warning ->
        assertThat(warning).contains("paymentWindow"));
  }

  @Test
  void jsonValueReaders_nameTheMemberAndWhatTheyFound() {
    java.util.concurrent.atomic.AtomicReference<JsonValue> seen = new java.util.concurrent.atomic.AtomicReference<>();
    Bindings<Object> bindings = Bindings.builder()
        .action("x", (ParameterizedAction<Object>) (context, step, written) -> seen.set(written))
        .build();
    loop.start(JsonMachineReader.of(bindings).read("v.json", """
        {"initial": "a", "states": {"a": {"entry": {"type": "x", "params": {"count": "3", "big": 1e3}}}}}
        """).definition(), new Object());
    JsonValue params = seen.get();

    assertThatThrownBy(() -> params.integer("count"))
        .hasMessage("\"count\": expected a whole number, found the string \"3\"");
    assertThatThrownBy(() -> params.string("missing"))
        .hasMessage("no \"missing\" in {\"count\":\"3\",\"big\":1e3}; it has \"count\", \"big\"");
    assertThat(params.integer("big")).isEqualTo(1000L);
    assertThat(params.get("big").toJava()).isEqualTo(1000.0);
    assertThat(params.toString()).isEqualTo("{\"count\":\"3\",\"big\":1e3}");
  }

  @Test
  void noOpBindings_takeAnyParamsInputAndDelayName() {
    JsonMachine<Object> loaded = JsonMachineReader.of(Bindings.noOps()).read(CHECKOUT);

    assertThat(loaded.id()).isEqualTo("checkout");
  }

  @Test
  void theWriter_writesParamsInputAndOutputBack_asTheReaderReadThem() {
    Bindings<Shop> bindings = shopBindings().build();
    JsonMachine<Shop> loaded = JsonMachineReader.of(bindings).read(CHECKOUT);

    String written = JsonMachineWriter.write(loaded.definition(), bindings);
    JsonMachine<Shop> again = JsonMachineReader.of(bindings).read("again.json", written);

    assertThat(written).contains("\"params\": {\"message\":\"cart opened\",\"level\":2}")
        .contains("\"input\": {\"currency\":\"EUR\",\"rates\":[1,2.5]}")
        .contains("\"output\": {\"receipt\":true,\"ref\":\"R-1\"}");
    assertThat(JsonMachineWriter.write(again.definition(), bindings)).isEqualTo(written);
  }
}
