package dev.stator.examples.mqtt.internal;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.List;

/** The MQTT 3.1.1 packets the client sends, as Netty's message objects. */
final class Packets {
  private Packets() {}

  static MqttConnectMessage connect(String clientId, boolean cleanSession, int keepAliveSeconds,
      String username, byte[] password) {
    MqttMessageBuilders.ConnectBuilder builder = MqttMessageBuilders.connect()
        .protocolVersion(MqttVersion.MQTT_3_1_1)
        .clientId(clientId)
        .cleanSession(cleanSession)
        .keepAlive(keepAliveSeconds);
    if (username != null) {
      builder.hasUser(true).username(username);
    }
    if (password != null) {
      builder.hasPassword(true).password(password);
    }
    return builder.build();
  }

  static MqttPublishMessage publish(String topic, byte[] payload, int qos, boolean retain,
      boolean dup, int packetId) {
    return new MqttPublishMessage(
        new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0),
        new MqttPublishVariableHeader(topic, qos == 0 ? -1 : packetId),
        Unpooled.wrappedBuffer(payload));
  }

  /** PUBACK, PUBREC, PUBREL or PUBCOMP: PUBREL with the flags 0010 it must have [MQTT-3.6.1-1]. */
  static MqttMessage ack(MqttMessageType type, int packetId) {
    MqttQoS flags = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
    return new MqttMessage(new MqttFixedHeader(type, false, flags, false, 0),
        MqttMessageIdVariableHeader.from(packetId));
  }

  static MqttSubscribeMessage subscribe(int packetId, String filter, int qos) {
    return new MqttSubscribeMessage(
        new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
        MqttMessageIdVariableHeader.from(packetId),
        new MqttSubscribePayload(List.of(new MqttTopicSubscription(filter, MqttQoS.valueOf(qos)))));
  }

  static MqttUnsubscribeMessage unsubscribe(int packetId, String filter) {
    return new MqttUnsubscribeMessage(
        new MqttFixedHeader(MqttMessageType.UNSUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
        MqttMessageIdVariableHeader.from(packetId),
        new MqttUnsubscribePayload(List.of(filter)));
  }

  /** PINGREQ or DISCONNECT: a fixed header alone. */
  static MqttMessage bare(MqttMessageType type) {
    return new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0));
  }
}
