package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stator.RecoveryPolicy;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worst shapes of document known for reading and compiling, each generated at the largest
 * size the default limits allow or at the size that used to take minutes: reading stays roughly
 * linear in the document. The timeouts are generous (the quadratic code took 80 s and more on
 * these); how fast each shape is read is measured in the benchmarks module
 * ({@code WorstShapeBenchmark}).
 */
final class LinearCostTest {

  private final JsonMachineReader<Object> reader = JsonMachineReader.of(Bindings.noOps());

  /** One state with {@code events} distinct events, each a transition back to the state. */
  static String manyEvents(int events) {
    StringBuilder json = new StringBuilder("{\"id\": \"wide\", \"initial\": \"s\", \"states\": {\"s\": {\"on\": {");
    for (int i = 0; i < events; i++) {
      json.append(i == 0 ? "" : ",").append("\"e").append(i).append("\":\"s\"");
    }
    return json.append("}}}}").toString();
  }

  /** A byError policy of {@code cases} cases, each naming its own error type. */
  static String manyRecoveryCases(int cases) {
    StringBuilder json = new StringBuilder("{\"id\": \"cases\", \"initial\": \"s\", \"states\": {\"s\": {}},"
        + " \"recovery\": {\"type\": \"byError\", \"cases\": [");
    for (int i = 0; i < cases; i++) {
      json.append(i == 0 ? "" : ",").append("{\"error\":\"x.E").append(i).append("\",\"policy\":\"exit\"}");
    }
    return json.append("]}}").toString();
  }

  /**
   * {@code states} states with names of {@code length} characters, each with a transition to a
   * name of the same length that is not a state: every target is compared with every name.
   */
  static String unknownTargets(int states, int length) {
    StringBuilder json = new StringBuilder("{\"id\": \"typos\", \"initial\": \"" + longName('s', 0, length)
        + "\", \"states\": {");
    for (int i = 0; i < states; i++) {
      json.append(i == 0 ? "" : ",").append('"').append(longName('s', i, length))
          .append("\":{\"on\":{\"GO\":\"").append(longName('t', i, length)).append("\"}}");
    }
    return json.append("}}").toString();
  }

  /**
   * {@code depth} nested compound states with names of {@code length} characters, the innermost
   * holding {@code leaves} atomic states, all but the first unreachable.
   */
  static String deepNesting(int depth, int length, int leaves) {
    StringBuilder json = new StringBuilder("{\"id\": \"deep\", \"initial\": \"" + longName('d', 0, length)
        + "\", \"states\": {");
    for (int level = 0; level < depth; level++) {
      String child = level + 1 < depth ? longName('d', level + 1, length) : "l0";
      json.append('"').append(longName('d', level, length)).append("\":{\"initial\":\"").append(child)
          .append("\",\"states\":{");
    }
    for (int i = 0; i < leaves; i++) {
      json.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":{}");
    }
    json.append("}}".repeat(depth));
    return json.append("}}").toString();
  }

  /** A name of {@code length} characters, ending in {@code i}: names differ only at the end. */
  static String longName(char first, int i, int length) {
    String suffix = Integer.toString(i);
    return first + "x".repeat(length - 1 - suffix.length()) + suffix;
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void oneStateWithManyEvents_compilesInLinearTime() {
    String json = manyEvents(64_000);

    JsonMachine<Object> wide = reader.read("wide.json", json);

    assertThat(wide.definition().spec().states().get(0).transitions()).hasSize(64_000);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aByErrorPolicyWithManyCases_isBuiltInLinearTime() {
    String json = manyRecoveryCases(150_000);

    JsonMachine<Object> cases = reader.read("cases.json", json);

    RecoveryPolicy.ByCause<?> policy = (RecoveryPolicy.ByCause<?>) cases.definition().spec().recovery();
    assertThat(policy.cases()).hasSize(150_000).containsKey("x.E149999");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void unknownTargetsAmongLongStateNames_areReportedInLinearTime() {
    String json = unknownTargets(1_000, 128);

    assertThatThrownBy(() -> reader.read("typos.json", json))
        .isInstanceOfSatisfying(JsonDefinitionException.class, e -> assertThat(e.problems())
            .hasSize(1_000)
            .allSatisfy(p -> assertThat(p.message()).contains("is not a state")));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void deeplyNestedLongNames_areReadWithoutRepeatingEveryPath() {
    String json = deepNesting(250, 200, 10_000);

    JsonMachine<Object> deep = reader.read("deep.json", json);

    // each of the 9,999 unreachable leaves' paths is 50 KB: naming them all would take 500 MB
    assertThat(deep.warnings()).hasSize(21)
        .endsWith("deep.json: 9979 more states are unreachable from the initial state (only the first"
            + " 20 are named)");
    assertThat(deep.warnings().get(0)).startsWith("deep.json: state '" + longName('d', 0, 200) + "/")
        .endsWith("/l1' is unreachable from the initial state");
    assertThat(deep.definition().statePaths()).hasSize(10_250);
    assertThat(deep.definition().statePaths().get(10_249))
        .hasSize(250 * 201 + "l9999".length()).endsWith("/l9999");
  }

  @Test
  void targetSyntax_isTheDocumentedPattern_forEveryShortString() {
    java.util.regex.Pattern documented = java.util.regex.Pattern.compile("[.#]?[^/.#]+(?:\\.[^/.#]+)*");
    java.util.List<String> strings = new java.util.ArrayList<>(java.util.List.of(""));
    for (int length = 1, from = 0; length <= 6; length++) {
      int to = strings.size();
      for (int i = from; i < to; i++) {
        for (char c : new char[] {'a', '.', '#', '/', 'é'}) {
          strings.add(strings.get(i) + c);
        }
      }
      from = to;
    }

    assertThat(strings).hasSize(19_531).allSatisfy(s -> assertThat(TargetResolver.isTarget(s))
        .as(s).isEqualTo(documented.matcher(s).matches()));
  }
}
