package dev.stator.dsl.json;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
