package dev.stator.internal.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stator.internal.loop.LoopCore;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * Another thread's {@code send} reads the first fields of a machine and of its loop; the loop
 * thread writes others on every step. Sharing a 64-byte cache line, each send would wait for a
 * line the loop had just written (the cross-thread throughput of issue 18 rose about fourfold
 * when they stopped sharing). The objects are aligned to 8 bytes, not to a line, so the check is
 * made for each of the eight places an object can start within a line. The offsets are the JVM's
 * that runs the test (HotSpot lays a superclass's fields before its subclass's).
 */
class CacheLineLayoutTest {
  private static final int LINE = 64;
  private static final int ALIGNMENT = 8;
  /** The class word, which the call through an interface reads first. */
  private static final int CLASS_WORD = 8;

  @Test
  void whatASenderReadsOfAMachineNeverSharesALineWithWhatAStepWrites() {
    ClassLayout layout = ClassLayout.parseClass(MachineRuntime.class);
    int sendersEnd = end(fieldsOf(layout, MachineSenderFields.class));
    int stepsStart = start(fieldsOf(layout, MachineRuntime.class));

    assertThat(fieldsOf(layout, MachineSenderFields.class)).extracting(FieldLayout::name)
        .containsExactlyInAnyOrder("core", "lifecycle");
    assertThat(sharedLineAt(CLASS_WORD, sendersEnd, stepsStart, (int) layout.instanceSize()))
        .as("object start within a line where a sender's reads [8, %d) and a step's writes [%d, "
            + "%d) share one", sendersEnd, stepsStart, layout.instanceSize())
        .isEmpty();
  }

  @Test
  void aMachineStaysWithin112BytesSoThatAWorkingOneHolds256WithItsTrace() {
    // 112 + the 8-step trace ring (long[16], 144 bytes) = issue 18's bound per active machine
    assertThat(ClassLayout.parseClass(MachineRuntime.class).instanceSize())
        .isLessThanOrEqualTo(112);
  }

  @Test
  void whatASenderReadsOfALoopNeverSharesALineWithWhatTheLoopWritesOnItsTurns() {
    ClassLayout layout = ClassLayout.parseClass(LoopCore.class);
    List<FieldLayout> entrance = layout.fields().stream()
        .filter(field -> field.hostClass().endsWith("LoopEntrance"))
        .collect(Collectors.toList());
    int loopsStart = start(fieldsOf(layout, LoopCore.class));

    assertThat(entrance).extracting(FieldLayout::name)
        .containsExactlyInAnyOrder("inbox", "driver", "thread", "closed", "terminated");
    assertThat(sharedLineAt(CLASS_WORD, end(entrance), loopsStart, (int) layout.instanceSize()))
        .as("object start within a line where a sender's reads [8, %d) and the loop's fields [%d, "
            + "%d) share one", end(entrance), loopsStart, layout.instanceSize())
        .isEmpty();
  }

  /**
   * The offsets within a line (0, 8, ... 56) at which an object, starting there, has a byte of
   * {@code [readFrom, readTo)} and one of {@code [writeFrom, writeTo)} in the same line.
   */
  private static List<Integer> sharedLineAt(int readFrom, int readTo, int writeFrom, int writeTo) {
    return java.util.stream.IntStream.iterate(0, start -> start < LINE, start -> start + ALIGNMENT)
        .filter(start -> (start + readTo - 1) / LINE >= (start + writeFrom) / LINE
            && (start + readFrom) / LINE <= (start + writeTo - 1) / LINE)
        .boxed()
        .collect(Collectors.toList());
  }

  private static List<FieldLayout> fieldsOf(ClassLayout layout, Class<?> host) {
    return layout.fields().stream()
        .filter(field -> field.hostClass().equals(host.getSimpleName())
            || field.hostClass().equals(host.getName()))
        .collect(Collectors.toList());
  }

  private static int start(List<FieldLayout> fields) {
    return (int) fields.stream().mapToLong(FieldLayout::offset).min().orElseThrow();
  }

  private static int end(List<FieldLayout> fields) {
    return (int) fields.stream().mapToLong(field -> field.offset() + field.size()).max()
        .orElseThrow();
  }
}
