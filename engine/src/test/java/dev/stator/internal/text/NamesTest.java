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

  @Test
  void aNameOf128Characters_isStillCompared() {
    String name = "a".repeat(128);
    String typo = "a".repeat(127) + "b";

    assertThat(Names.Budget.forDocument().closest(typo, List.of(name))).isEqualTo(name);
  }

  @Test
  void aNameLongerOrShorterByTheEditsAllowed_isStillSuggested() {
    // three characters allow one edit
    assertThat(Names.Budget.forDocument().closest("dal", List.of("dial"))).isEqualTo("dial");
  }

  @Test
  void aboutOneEditInThreeCharacters_isATypo_moreIsNot() {
    Names.Budget budget = Names.Budget.forDocument();

    assertThat(budget.closest("abcdef", List.of("abcxef"))).isEqualTo("abcxef");
    assertThat(budget.closest("abcdef", List.of("abcxyz"))).isNull();
    assertThat(budget.closest("abcdef", List.of("xyabcd"))).isNull();
    // two swaps are two edits
    assertThat(budget.closest("abcd", List.of("badc"))).isNull();
  }

  @Test
  void ofEquallyCloseNames_theFirstIsSuggested() {
    Names.Budget budget = Names.Budget.forDocument();

    assertThat(budget.closest("cat", List.of("bat", "car"))).isEqualTo("bat");
    assertThat(budget.closest("cat", List.of("car", "bat"))).isEqualTo("car");
  }

  @Test
  void everyNameLookedAt_costsAUnit_evenOneTooDifferentInLengthToCompare() {
    Names.Budget budget = new Names.Budget(3);

    assertThat(budget.closest("dail", List.of("x", "y", "z"))).isNull();
    assertThat(budget.spent()).isTrue();
  }

  @Test
  void aSearchThatSpendsTheWholeBudget_isAbandoned() {
    // "dail" against "dial" costs 1 + 16 units, against "x" (not compared) 1
    assertThat(new Names.Budget(17).closest("dail", List.of("dial"))).isNull();
    assertThat(new Names.Budget(18).closest("dail", List.of("dial", "x"))).isNull();
    Names.Budget enough = new Names.Budget(18);
    assertThat(enough.closest("dail", List.of("dial"))).isEqualTo("dial");
    assertThat(enough.spent()).isFalse();
    assertThat(new Names.Budget(0).spent()).isTrue();
  }
}
