package dev.stator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON codec reads back what it wrote, and never lets stored bytes name a class to load. */
final class JsonContextCodecTest {

  /** A mutable context, as machines have. */
  public static final class Cart {
    public String owner;
    public List<String> items = new ArrayList<>();
    public int paidCents;
  }

  @Test
  void aContext_readsBackAsItWasWritten() {
    JsonContextCodec<Cart> codec = JsonContextCodec.of(Cart.class);
    Cart cart = new Cart();
    cart.owner = "ada";
    cart.items.add("tea");
    cart.paidCents = 250;

    Cart back = codec.decode(codec.encode(cart));

    assertThat(back.owner).isEqualTo("ada");
    assertThat(back.items).containsExactly("tea");
    assertThat(back.paidCents).isEqualTo(250);
  }

  @Test
  void aPropertyTheTypeNoLongerHas_isIgnored() {
    Cart back = JsonContextCodec.of(Cart.class).decode(
        "{\"owner\":\"ada\",\"coupon\":\"X1\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(back.owner).isEqualTo("ada");
  }

  /** A context whose author asked for class names in its JSON. */
  public static final class Risky {
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    public Object payload;
  }

  @Test
  void storedBytesNamingAClass_areRefused_evenWhenTheTypeAsksForClassNames() {
    byte[] hostile = ("{\"payload\":{\"@class\":\"java.util.concurrent.atomic.AtomicInteger\","
        + "\"value\":1}}").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> JsonContextCodec.of(Risky.class).decode(hostile))
        .isInstanceOf(tools.jackson.core.JacksonException.class)
        .hasMessageContaining("java.util.concurrent.atomic.AtomicInteger");
  }
}
