package dev.stator.store;

import dev.stator.durable.ContextCodec;
import java.util.Objects;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

/**
 * The default context codec: the context as JSON, read back into one declared type.
 *
 * <p>Polymorphic typing is off, and the type validator allows no subtype at all: even a context
 * type that asks for class names in its JSON ({@code @JsonTypeInfo(use = CLASS)}) cannot make a
 * stored image load a class. Properties the type no longer has are ignored, so a field removed
 * from the context does not make old images unreadable.
 *
 * <p><b>Thread-safety:</b> immutable; safe for any number of loops.
 *
 * @param <C> the context type
 */
public final class JsonContextCodec<C> implements ContextCodec<C> {
  private final Class<C> type;
  private final JsonMapper mapper;

  private JsonContextCodec(Class<C> type) {
    this.type = type;
    this.mapper = JsonMapper.builder()
        .polymorphicTypeValidator(BasicPolymorphicTypeValidator.builder().build())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  /**
   * {@return a codec of contexts of {@code type}: a record or a bean Jackson can read}
   *
   * @param type the context's class
   * @param <C> the context type
   */
  public static <C> JsonContextCodec<C> of(Class<C> type) {
    return new JsonContextCodec<>(Objects.requireNonNull(type, "type"));
  }

  @Override
  public byte[] encode(C context) {
    return mapper.writeValueAsBytes(context);
  }

  @Override
  public C decode(byte[] bytes) {
    return mapper.readValue(bytes, type);
  }

  @Override
  public String toString() {
    return "JSON codec of " + type.getName();
  }
}
