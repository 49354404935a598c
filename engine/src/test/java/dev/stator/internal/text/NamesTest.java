package dev.stator.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class NamesTest {

  @Test
  void aLikelyTypo_isAnsweredWithTheClosestName_aSwapCountingAsOneEdit() {
    Names.Budget budget = Names.Budget.forDocument();

    assertThat(budget.closest("dail", List.of("hangUp", "dial", "dials"))).isEqualTo("dial");
    assertThat(budget.closest("CONECTED", List.of("connected", "idle"))).isEqualTo("connected");
    assertThat(budget.closest("xyz", List.of("connected", "idle"))).isNull();
  }

  @Test
  void onceTheBudgetIsSpent_noMoreSuggestionsAreMade() {
    // "dail" against four-letter names costs 1 + 16 units a name: two searches of two names
    Names.Budget budget = new Names.Budget(70);
    List<String> names = List.of("dial", "hang");

    assertThat(budget.closest("dail", names)).isEqualTo("dial");
    assertThat(budget.closest("hnag", names)).isEqualTo("hang");
    assertThat(budget.spent()).isFalse();
    assertThat(budget.closest("dail", names)).isNull();
    assertThat(budget.spent()).isTrue();
    assertThat(budget.closest("dail", List.of("dial"))).isNull();
  }

  @Test
  void namesLongerThan128Characters_areNotCompared() {
    Names.Budget budget = new Names.Budget(1);
    String longName = "a".repeat(129);

    assertThat(budget.closest(longName, List.of(longName + "b"))).isNull();
    assertThat(budget.spent()).isFalse();
  }
}
