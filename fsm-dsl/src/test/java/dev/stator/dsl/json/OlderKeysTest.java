package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Machine;
import dev.stator.testing.TestLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keys real machines carry from XState 4, or write beside XState 5's configuration: read with their
 * unambiguous meaning, or ignored with a warning where XState 5 ignores them too.
 */
class OlderKeysTest {

  private final TestLoop loop = TestLoop.create();

  @AfterEach
  void close() {
    loop.close();
  }

  /** Each action appends its name; each call returns its input. */
  private static Bindings<List<String>> recording(String... actions) {
    Bindings.Builder<List<String>> builder = Bindings.builder();
    for (String name : actions) {
      builder.action(name, log -> log.add(name));
    }
    builder.call("fetchUser", (InputCall.Sync<List<String>, JsonValue>) (log, step, input) -> {
      log.add("fetchUser " + input);
      return input;
    });
    return builder.build();
  }

  private Machine<List<String>> start(Bindings<List<String>> bindings, String json,
      List<String> log) {
    return loop.start(JsonMachineReader.of(bindings).read("old.json", json).definition(), log);
  }

  @Test
  void onEntryAndOnExit_areXState4sNamesOfEntryAndExit() {
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = start(recording("hello", "bye"), """
        {"id": "old", "initial": "a", "states": {
          "a": {"onEntry": "hello", "onExit": ["bye"], "on": {"GO": "b"}}, "b": {}}}
        """, log);
    machine.send("GO");

    assertThat(log).containsExactly("hello", "bye");
  }

  @Test
  void onEntryBesideEntry_isTwoWaysToSayOneThing_andAnError() {
    assertThatThrownBy(() -> JsonMachineReader.of(Bindings.noOps()).read("old.json", """
        {"id": "old", "initial": "a", "states": {"a": {"entry": "x", "onEntry": "y"}}}
        """))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("/states/a/onEntry: \"onEntry\" is XState 4's name for \"entry\";"
            + " write one of them");
  }

  @Test
  void theEmptyEvent_isXState4sEventlessTransition() {
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = start(recording("passed"), """
        {"id": "old", "initial": "a", "states": {
          "a": {"on": {"GO": "b"}},
          "b": {"on": {"": {"target": "c", "actions": "passed"}}},
          "c": {}}}
        """, log);
    machine.send("GO");

    assertThat(machine.state().path()).isEqualTo("c");
    assertThat(log).containsExactly("passed");
  }

  @Test
  void anEmptyTarget_isATargetlessTransition_thatOnlyRunsItsActions() {
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = start(recording("aEntry", "mute"), """
        {"id": "old", "initial": "a", "states": {
          "a": {"entry": "aEntry", "on": {"MUTE": {"target": "", "actions": "mute"}}}}}
        """, log);
    machine.send("MUTE");

    assertThat(log).containsExactly("aEntry", "mute");
  }

  @Test
  void aSourceObject_namesTheCallByItsType_andItsOtherMembersAreIgnoredWithAWarning() {
    JsonMachine<List<String>> loaded = JsonMachineReader.of(recording()).read("old.json", """
        {"id": "old", "initial": "a", "states": {
          "a": {"invoke": {"src": {"type": "fetchUser", "endpoint": "/me"}, "input": 7,
                           "onDone": "b"}},
          "b": {}}}
        """);
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = loop.start(loaded.definition(), log);

    assertThat(machine.state().path()).isEqualTo("b");
    assertThat(log).containsExactly("fetchUser 7");
    assertThat(loaded.warnings()).containsExactly("old.json: /states/a/invoke/src/endpoint:"
        + " \"endpoint\" is ignored: XState 4 gave the source object's other members to the"
        + " service; write them in the invoke's \"input\"");
  }

  @Test
  void theRootsDelays_giveNamedDelaysTheBindingsLack_theirLength() {
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = start(recording(), """
        {"id": "old", "delays": {"shortWait": 300, "longWait": "2s"}, "initial": "a", "states": {
          "a": {"after": {"shortWait": "b"}},
          "b": {"after": {"longWait": "c"}},
          "c": {}}}
        """, log);

    loop.advance(Duration.ofMillis(299));
    assertThat(machine.state().path()).isEqualTo("a");
    loop.advance(Duration.ofMillis(1));
    assertThat(machine.state().path()).isEqualTo("b");
    loop.advance(Duration.ofSeconds(2));
    assertThat(machine.state().path()).isEqualTo("c");
  }

  @Test
  void aBoundDelay_winsOverTheRootsDelays() {
    Bindings<List<String>> bindings = Bindings.<List<String>>builder()
        .delay("shortWait", Duration.ofSeconds(5)).build();
    Machine<List<String>> machine = start(bindings, """
        {"id": "old", "delays": {"shortWait": 300}, "initial": "a", "states": {
          "a": {"after": {"shortWait": "b"}}, "b": {}}}
        """, new ArrayList<>());

    loop.advance(Duration.ofSeconds(1));
    assertThat(machine.state().path()).isEqualTo("a");
    loop.advance(Duration.ofSeconds(4));
    assertThat(machine.state().path()).isEqualTo("b");
  }

  @Test
  void aRootDelayThatIsNoLength_isAnErrorAtIt() {
    assertThatThrownBy(() -> JsonMachineReader.of(Bindings.noOps()).read("old.json", """
        {"id": "old", "delays": {"shortWait": true}, "initial": "a", "states": {"a": {}}}
        """))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("/delays/shortWait: expected the length of delay \"shortWait\" in"
            + " milliseconds or as a duration (\"5s\"), found true");
  }

  @Test
  void typesStrictAndActivities_areIgnoredWithAWarning_asXState5IgnoresThem() {
    JsonMachine<Object> loaded = JsonMachineReader.of(Bindings.noOps()).read("old.json", """
        {"id": "old", "types": {}, "strict": true, "initial": "a",
         "states": {"a": {"activities": ["beeping"]}}}
        """);

    assertThat(loaded.warnings()).containsExactly(
        "old.json: /types: \"types\" is ignored: type information for TypeScript (XState 5's"
            + " setup)",
        "old.json: /strict: \"strict\" is ignored: XState 4's option; XState 5 ignores it too, and"
            + " Stator's \"unhandled\": \"fault\" is the way to refuse events no state takes",
        "old.json: /states/a/activities: \"activities\" is ignored: XState 4's activities, which"
            + " XState 5 does not run either; an \"invoke\" is the way now");
  }
}
