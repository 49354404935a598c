package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.MachineDefinition;
import dev.stator.model.Invocation;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Stator's {@code "idempotent"} key of an invoke: a durable machine restored while the call was in
 * flight starts it again. It is read into the engine's model, written back, and must be a boolean.
 */
final class InvokeIdempotentTest {

  private static final Bindings<Object> BINDINGS = Bindings.builder()
      .callAsync("dial", (context, step) -> new CompletableFuture<String>())
      .build();

  private static String machine(String idempotent) {
    return """
        { "id": "dialer", "initial": "dialing",
          "states": {
            "dialing": { "invoke": { "src": "dial", "timeout": "5s"%s } } } }
        """.formatted(idempotent);
  }

  private static List<Invocation<Object>> calls(MachineDefinition<Object> definition) {
    return definition.spec().states().get(0).invocations();
  }

  @Test
  void anInvokeDeclaredIdempotent_isIdempotentInTheModel_andWrittenBack() {
    MachineDefinition<Object> definition = JsonMachineReader.of(BINDINGS)
        .read("dialer.json", machine(", \"idempotent\": true")).definition();

    assertThat(calls(definition)).extracting(Invocation::idempotent).containsExactly(true);
    assertThat(JsonMachineWriter.write(definition, BINDINGS)).contains("\"idempotent\": true");
  }

  @Test
  void anInvokeNotSaidIdempotent_isNot_andWritesNoKey() {
    MachineDefinition<Object> definition = JsonMachineReader.of(BINDINGS)
        .read("dialer.json", machine("")).definition();

    assertThat(calls(definition)).extracting(Invocation::idempotent).containsExactly(false);
    assertThat(JsonMachineWriter.write(definition, BINDINGS)).doesNotContain("idempotent");
  }

  @Test
  void anIdempotentThatIsNotABoolean_isRefused_atItsPlace() {
    assertThatThrownBy(() -> JsonMachineReader.of(BINDINGS)
        .read("dialer.json", machine(", \"idempotent\": \"yes\"")))
        .isInstanceOf(JsonDefinitionException.class)
        .hasMessageContaining("/states/dialing/invoke/idempotent")
        .hasMessageContaining("expected true or false, found a string");
  }
}
