package dev.stator.durable;

import dev.stator.Phase;
import dev.stator.Status;
import dev.stator.TraceEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The binary form of a {@link MachineImage}, version {@link MachineImage#FORMAT_VERSION}: the
 * magic {@code STIM}, the version, the fields in the record's order (strings as a length and UTF-8
 * bytes, -1 for null; instants as seconds and nanoseconds; lists as a count and their items), and
 * a CRC-32C of everything before it. Reading checks the magic, the version and the checksum first,
 * then every length against the bytes left, so damaged or hostile bytes are refused with a message
 * saying what is wrong, never read as another image, and never make a large allocation.
 */
final class ImageFormat {
  private static final int MAGIC = 0x5354494d; // "STIM"
  private static final int HEADER = 8;
  private static final int CHECKSUM = 4;

  private ImageFormat() {
  }

  static byte[] write(MachineImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(MachineImage.FORMAT_VERSION);
      string(out, image.definitionId());
      out.writeLong(image.fingerprint());
      string(out, image.machineId());
      string(out, image.status().name());
      strings(out, image.activeStates());
      out.writeInt(image.history().size());
      for (Map.Entry<String, List<String>> memory : image.history().entrySet()) {
        string(out, memory.getKey());
        strings(out, memory.getValue());
      }
      byte[] context = image.context();
      out.writeInt(context.length);
      out.write(context);
      out.writeInt(image.timers().size());
      for (MachineImage.PendingTimer timer : image.timers()) {
        string(out, timer.kind().name());
        string(out, timer.state());
        out.writeInt(timer.index());
        string(out, timer.event());
        string(out, timer.eventEnum());
        instant(out, timer.deadline());
        out.writeLong(timer.delay().getSeconds());
        out.writeInt(timer.delay().getNano());
      }
      out.writeInt(image.calls().size());
      for (MachineImage.InFlightCall call : image.calls()) {
        string(out, call.state());
        string(out, call.id());
        instant(out, call.startedAt());
      }
      out.writeInt(image.restartCount());
      out.writeInt(image.restarts().size());
      for (MachineImage.RestartMark mark : image.restarts()) {
        out.writeInt(mark.policy());
        out.writeInt(mark.choices());
        instant(out, mark.at());
      }
      MachineImage.FailureRecord failure = image.failure();
      out.writeBoolean(failure != null);
      if (failure != null) {
        string(out, failure.machineId());
        string(out, failure.state());
        string(out, failure.callbackState());
        string(out, failure.event());
        string(out, failure.phase().name());
        string(out, failure.call());
        string(out, failure.causeType());
        string(out, failure.causeMessage());
        instant(out, failure.time());
        out.writeInt(failure.restartCount());
        out.writeInt(failure.queuedEvents());
        out.writeInt(failure.recentSteps().size());
        for (TraceEntry step : failure.recentSteps()) {
          out.writeLong(step.nanoTime());
          string(out, step.event());
          string(out, step.from());
          string(out, step.to());
        }
      }
      out.writeLong(image.steps());
      instant(out, image.takenAt());
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    byte[] body = bytes.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    byte[] whole = java.util.Arrays.copyOf(body, body.length + CHECKSUM);
    ByteBuffer.wrap(whole, body.length, CHECKSUM).putInt((int) crc.getValue());
    return whole;
  }

  private static void string(DataOutputStream out, String value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static void strings(DataOutputStream out, List<String> values) throws IOException {
    out.writeInt(values.size());
    for (String value : values) {
      string(out, value);
    }
  }

  private static void instant(DataOutputStream out, Instant instant) throws IOException {
    out.writeLong(instant.getEpochSecond());
    out.writeInt(instant.getNano());
  }

  // ---------------------------------------------------------------- reading

  static MachineImage read(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER + CHECKSUM) {
      throw refused("it is " + (bytes == null ? "null" : bytes.length + " bytes long")
          + ", shorter than any image");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt() != MAGIC) {
      throw refused("it does not start with the magic STIM of a Stator machine image");
    }
    int version = in.getInt();
    if (version != MachineImage.FORMAT_VERSION) {
      throw refused("it is of format version " + version + "; this engine reads version "
          + MachineImage.FORMAT_VERSION);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - CHECKSUM);
    int stored = ByteBuffer.wrap(bytes, bytes.length - CHECKSUM, CHECKSUM).getInt();
    if (stored != (int) crc.getValue()) {
      throw refused("its checksum does not match its content: it was damaged or altered");
    }
    in.limit(bytes.length - CHECKSUM);
    try {
      MachineImage image = body(in);
      if (in.hasRemaining()) {
        throw refused(in.remaining() + " bytes follow the image's last field");
      }
      return image;
    } catch (BufferUnderflowException truncated) {
      throw refused("it ends in the middle of a field");
    } catch (IllegalArgumentException | NullPointerException | java.time.DateTimeException bad) {
      if (bad instanceof ImageRefusedException refused) {
        throw refused;
      }
      throw refused("a field holds an impossible value: " + bad.getMessage());
    }
  }

  private static MachineImage body(ByteBuffer in) {
    String definitionId = string(in);
    long fingerprint = in.getLong();
    String machineId = string(in);
    Status status = Status.valueOf(string(in));
    List<String> active = strings(in);
    int memories = count(in, 8);
    Map<String, List<String>> history = new LinkedHashMap<>();
    for (int i = 0; i < memories; i++) {
      history.put(string(in), strings(in));
    }
    byte[] context = new byte[count(in, 1)];
    in.get(context);
    int timerCount = count(in, 40);
    List<MachineImage.PendingTimer> timers = new ArrayList<>(timerCount);
    for (int i = 0; i < timerCount; i++) {
      MachineImage.TimerKind kind = MachineImage.TimerKind.valueOf(string(in));
      String state = string(in);
      int index = in.getInt();
      String event = string(in);
      String eventEnum = string(in);
      Instant deadline = instant(in);
      Duration delay = Duration.ofSeconds(in.getLong(), in.getInt());
      timers.add(new MachineImage.PendingTimer(kind, state, index, event, eventEnum, deadline,
          delay));
    }
    int callCount = count(in, 20);
    List<MachineImage.InFlightCall> calls = new ArrayList<>(callCount);
    for (int i = 0; i < callCount; i++) {
      calls.add(new MachineImage.InFlightCall(string(in), string(in), instant(in)));
    }
    int restartCount = in.getInt();
    int markCount = count(in, 20);
    List<MachineImage.RestartMark> restarts = new ArrayList<>(markCount);
    for (int i = 0; i < markCount; i++) {
      restarts.add(new MachineImage.RestartMark(in.getInt(), in.getInt(), instant(in)));
    }
    MachineImage.FailureRecord failure = in.get() != 0 ? failure(in) : null;
    long steps = in.getLong();
    Instant takenAt = instant(in);
    return new MachineImage(definitionId, fingerprint, machineId, status, active, history, context,
        timers, calls, restartCount, restarts, failure, steps, takenAt);
  }

  private static MachineImage.FailureRecord failure(ByteBuffer in) {
    String machineId = string(in);
    String state = string(in);
    String callbackState = string(in);
    String event = string(in);
    Phase phase = Phase.valueOf(string(in));
    String call = string(in);
    String causeType = string(in);
    String causeMessage = string(in);
    Instant time = instant(in);
    int restartCount = in.getInt();
    int queued = in.getInt();
    int stepCount = count(in, 20);
    List<TraceEntry> steps = new ArrayList<>(stepCount);
    for (int i = 0; i < stepCount; i++) {
      steps.add(new TraceEntry(in.getLong(), string(in), string(in), string(in)));
    }
    return new MachineImage.FailureRecord(machineId, state, callbackState, event, phase, call,
        causeType, causeMessage, time, restartCount, queued, steps);
  }

  /** Reads a count of items of at least {@code minItemBytes} each: never more than the bytes left. */
  private static int count(ByteBuffer in, int minItemBytes) {
    int count = in.getInt();
    if (count < 0 || (long) count * minItemBytes > in.remaining()) {
      throw refused("a count of " + count + " at byte " + (in.position() - 4)
          + " does not fit in the " + in.remaining() + " bytes left");
    }
    return count;
  }

  private static String string(ByteBuffer in) {
    int length = in.getInt();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > in.remaining()) {
      throw refused("a string length of " + length + " at byte " + (in.position() - 4)
          + " does not fit in the " + in.remaining() + " bytes left");
    }
    String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return value;
  }

  private static List<String> strings(ByteBuffer in) {
    int count = count(in, 4);
    List<String> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(java.util.Objects.requireNonNull(string(in), "a path in a list"));
    }
    return values;
  }

  private static Instant instant(ByteBuffer in) {
    return Instant.ofEpochSecond(in.getLong(), in.getInt());
  }

  private static ImageRefusedException refused(String why) {
    return new ImageRefusedException("bytes refused as a machine image", List.of(why));
  }
}
