package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.Machine;
import dev.stator.MachineDefinition;
import dev.stator.MachineFailedException;
import dev.stator.Status;
import dev.stator.testing.TestLoop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An invoke's {@code onError}, as XState's: it handles that call's failure only, and may be
 * targetless (its actions run, the state stays).
 */
final class InvokeOnErrorTest {

  private final TestLoop loop = TestLoop.create();
  private final CompletableFuture<String> fetch = new CompletableFuture<>();

  private static final String JSON = """
      { "id": "profile", "initial": "loading",
        "states": {
          "loading": {
            "entry": "enter",
            "invoke": { "src": "fetch", "timeout": "5s",
                        "onDone": "shown",
                        "onError": { "actions": "noteFailure" } },
            "on": { "RETRY": { "target": "loading", "reenter": true } } },
          "shown": {} } }
      """;

  private MachineDefinition<List<String>> definition(boolean entryFails) {
    return JsonMachineReader.of(bindings(entryFails)).read("profile.json", JSON).definition();
  }

  private Bindings<List<String>> bindings(boolean entryFails) {
    return Bindings.<List<String>>builder()
        .action("enter", log -> {
          log.add("enter");
          if (entryFails) {
            throw new IOException("no network");
          }
        })
        .action("noteFailure", log -> log.add("failed"))
        .callAsync("fetch", (log, step) -> fetch)
        .build();
  }

  @Test
  void aTargetlessInvokeOnError_runsItsActions_andTheStateStays() {
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = loop.start(definition(false), log);

    fetch.completeExceptionally(new IOException("503"));
    loop.runUntilIdle();

    assertThat(log).containsExactly("enter", "failed");
    assertThat(machine.state().path()).isEqualTo("loading");
  }

  @Test
  void anInvokeOnError_doesNotHandleAnEntryActionsError() {
    Machine<List<String>> machine = loop.start(definition(true), new ArrayList<>());

    assertThat(machine.state().status()).isEqualTo(Status.FAILED);
    assertThatThrownBy(loop::checkFailures).isInstanceOf(MachineFailedException.class);
  }

  @Test
  void aTargetlessInvokeOnError_isWrittenBackUnderItsInvoke_andReadsBackTheSame() {
    Bindings<List<String>> bindings = bindings(false);
    String written = JsonMachineWriter.write(
        JsonMachineReader.of(bindings).read("profile.json", JSON).definition(), bindings);
    assertThat(written.replaceAll("\\s", ""))
        .contains("\"onError\":[{\"error\":\"java.lang.Exception\",\"actions\":\"noteFailure\"}]")
        .doesNotContain("\"target\":\"loading\",\"actions\":\"noteFailure\"");
    List<String> log = new ArrayList<>();
    Machine<List<String>> machine = loop.start(
        JsonMachineReader.of(bindings).read("written.json", written).definition(), log);

    fetch.completeExceptionally(new IOException("503"));
    loop.runUntilIdle();

    assertThat(log).containsExactly("enter", "failed");
    assertThat(machine.state().path()).isEqualTo("loading");
  }
}
