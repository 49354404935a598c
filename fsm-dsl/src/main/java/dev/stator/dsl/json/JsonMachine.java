package dev.stator.dsl.json;

import dev.stator.MachineDefinition;
import java.util.List;
import java.util.Objects;

/**
 * A machine definition read from JSON, with what the loader noticed without refusing it.
 *
 * <p><b>Thread-safety:</b> immutable.
 *
 * @param source the file or resource name it was read from
 * @param definition the validated, compiled definition
 * @param warnings unreachable states (prefixed with the source) and bindings the machine does not
 *     use, as plain sentences
 * @param <C> the context type
 */
public record JsonMachine<C>(String source, MachineDefinition<C> definition, List<String> warnings) {

  /**
   * Checks the arguments and copies the list.
   *
   * @param source the file or resource name it was read from
   * @param definition the validated, compiled definition
   * @param warnings unreachable states (prefixed with the source) and bindings the machine does not
   *     use, as plain sentences
   */
  public JsonMachine {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(definition, "definition");
    warnings = List.copyOf(warnings);
  }

  /** {@return the machine's id} */
  public String id() {
    return definition.id();
  }
}
