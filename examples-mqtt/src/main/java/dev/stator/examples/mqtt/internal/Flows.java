package dev.stator.examples.mqtt.internal;

import dev.stator.MachineDefinition;
import dev.stator.dsl.Stator;
import io.netty.handler.codec.mqtt.MqttMessageType;

/**
 * The QoS flows, one machine per packet identifier in flight (MQTT 3.1.1 section 4.3). Their
 * events are strings, so that a durable flow's image holds nothing but names: the packets that
 * answer it ({@code PUBACK}, {@code PUBREC}, {@code PUBCOMP}, {@code PUBREL}, a duplicate
 * {@code PUBLISH}), {@code CONNECTED} when a connection is accepted (resend what is
 * unacknowledged [MQTT-4.4.0-1]), and {@code ABANDON} when the client closes without a store.
 *
 * <pre>
 *   publish QoS 1:  AWAITING_PUBACK ──PUBACK──► ACKNOWLEDGED
 *   publish QoS 2:  AWAITING_PUBREC ──PUBREC / PUBREL──► AWAITING_PUBCOMP ──PUBCOMP──► COMPLETED
 *   receive QoS 2:  AWAITING_PUBREL (entered: PUBREC) ──PUBREL / PUBCOMP──► RELEASED
 *   CONNECTED in an awaiting state: send again (PUBLISH with DUP, or PUBREL); ABANDON ──► ABANDONED
 * </pre>
 */
final class Flows {
  enum Step { AWAITING_PUBACK, AWAITING_PUBREC, AWAITING_PUBCOMP, AWAITING_PUBREL,
    ACKNOWLEDGED, COMPLETED, RELEASED, ABANDONED }

  static final String PUBLISH_QOS1 = "mqtt-publish-qos1";
  static final String PUBLISH_QOS2 = "mqtt-publish-qos2";
  static final String RECEIVE_QOS2 = "mqtt-receive-qos2";

  static final String PUBACK = "PUBACK";
  static final String PUBREC = "PUBREC";
  static final String PUBREL = "PUBREL";
  static final String PUBCOMP = "PUBCOMP";
  static final String PUBLISH = "PUBLISH";
  static final String CONNECTED = "CONNECTED";
  static final String ABANDON = "ABANDON";

  private Flows() {}

  /** A QoS 1 PUBLISH: at least once [MQTT-4.3.2-1]. */
  static MachineDefinition<Flow> publishQos1(ClientCore core) {
    return Stator.<Step, Flow>machine(PUBLISH_QOS1)
        .initial(Step.AWAITING_PUBACK)
        .state(Step.AWAITING_PUBACK, s -> s
            .onEntry(core::sendPublish)
            .on(PUBACK).goTo(Step.ACKNOWLEDGED)
            .on(CONNECTED).then(core::sendPublish).stay()
            .on(ABANDON).goTo(Step.ABANDONED))
        .finalState(Step.ACKNOWLEDGED, f -> f.onEntry(core::flowCompleted))
        .finalState(Step.ABANDONED)
        .build();
  }

  /** A QoS 2 PUBLISH: exactly once [MQTT-4.3.3-1]. */
  static MachineDefinition<Flow> publishQos2(ClientCore core) {
    return Stator.<Step, Flow>machine(PUBLISH_QOS2)
        .initial(Step.AWAITING_PUBREC)
        .state(Step.AWAITING_PUBREC, s -> s
            .onEntry(core::sendPublish)
            .on(PUBREC).then(flow -> core.sendAck(MqttMessageType.PUBREL, flow))
                .goTo(Step.AWAITING_PUBCOMP)
            .on(CONNECTED).then(core::sendPublish).stay()
            .on(ABANDON).goTo(Step.ABANDONED))
        .state(Step.AWAITING_PUBCOMP, s -> s
            // once PUBREC came, only PUBREL is sent again, never the PUBLISH [MQTT-4.3.3-1]
            .on(PUBCOMP).goTo(Step.COMPLETED)
            .on(PUBREC).then(flow -> core.sendAck(MqttMessageType.PUBREL, flow)).stay()
            .on(CONNECTED).then(flow -> core.sendAck(MqttMessageType.PUBREL, flow)).stay()
            .on(ABANDON).goTo(Step.ABANDONED))
        .finalState(Step.COMPLETED, f -> f.onEntry(core::flowCompleted))
        .finalState(Step.ABANDONED)
        .build();
  }

  /**
   * A QoS 2 PUBLISH received: the message was handed to the application once, when the flow
   * started; a duplicate PUBLISH of the same identifier is answered with PUBREC again and not
   * delivered [MQTT-4.3.3-2], until PUBREL releases the identifier.
   */
  static MachineDefinition<Flow> receiveQos2(ClientCore core) {
    return Stator.<Step, Flow>machine(RECEIVE_QOS2)
        .initial(Step.AWAITING_PUBREL)
        .state(Step.AWAITING_PUBREL, s -> s
            .onEntry(flow -> core.sendAck(MqttMessageType.PUBREC, flow))
            .on(PUBLISH).then(flow -> core.sendAck(MqttMessageType.PUBREC, flow)).stay()
            .on(PUBREL).then(flow -> core.sendAck(MqttMessageType.PUBCOMP, flow))
                .goTo(Step.RELEASED)
            .on(ABANDON).goTo(Step.ABANDONED))
        .finalState(Step.RELEASED)
        .finalState(Step.ABANDONED)
        .build();
  }
}
