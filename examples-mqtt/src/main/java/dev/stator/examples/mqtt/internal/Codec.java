package dev.stator.examples.mqtt.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Netty's MQTT encoder and decoder, hosted in an {@link EmbeddedChannel} that is driven on the
 * Stator loop's thread: bytes read from the socket go in, decoded packets come out, and packets to
 * send come out as bytes. One codec per connection (the decoder keeps a partial packet between
 * reads). The codec only encodes and decodes; the machines decide. Confined to the loop thread.
 */
final class Codec {
  /** The largest packet accepted from the broker: 1 MiB. */
  static final int MAX_PACKET = 1 << 20;

  private final EmbeddedChannel channel =
      new EmbeddedChannel(new MqttDecoder(MAX_PACKET), MqttEncoder.INSTANCE);

  /**
   * Decodes what a read brought.
   *
   * @param bytes the bytes read, flipped
   * @return the complete packets they finish, in order; each must be released by the caller
   * @throws ProtocolException if the broker sent something that is not MQTT 3.1.1
   */
  List<MqttMessage> decode(ByteBuffer bytes) throws ProtocolException {
    channel.writeInbound(Unpooled.copiedBuffer(bytes));
    List<MqttMessage> packets = new ArrayList<>();
    Object next;
    while ((next = channel.readInbound()) != null) {
      MqttMessage packet = (MqttMessage) next;
      DecoderResult result = packet.decoderResult();
      if (result.isFailure()) {
        packets.forEach(ReferenceCountUtil::release);
        ReferenceCountUtil.release(packet);
        throw new ProtocolException("the broker sent a malformed packet: " + result.cause());
      }
      packets.add(packet);
    }
    return packets;
  }

  /**
   * Encodes a packet; the packet's payload buffer, if any, is released.
   *
   * @param packet the packet
   * @return its bytes, ready to write
   */
  ByteBuffer encode(MqttMessage packet) {
    channel.writeOutbound(packet);
    ByteBuf encoded = channel.readOutbound();
    try {
      ByteBuffer bytes = ByteBuffer.allocate(encoded.readableBytes());
      encoded.readBytes(bytes);
      bytes.flip();
      return bytes;
    } finally {
      encoded.release();
    }
  }

  void close() {
    channel.finishAndReleaseAll();
  }
}
