package dev.stator.durable;

import java.util.List;

/**
 * An image cannot be restored: its bytes are damaged or of another format version, it was taken
 * from another definition, or it refers to states, timers or calls that its definition no longer
 * has. Nothing was started.
 *
 * <p><b>Thread-safety:</b> immutable once made; safe to share.
 */
public final class ImageRefusedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What does not fit, one line each. */
  private final List<String> problems;

  /**
   * Creates the exception for an image that does not fit its definition.
   *
   * @param image the image, named in the message by machine and definition
   * @param problems what does not fit, one line each
   */
  public ImageRefusedException(MachineImage image, List<String> problems) {
    this("image of machine '" + image.machineId() + "' (definition '" + image.definitionId()
        + "') does not fit the definition it is restored with", problems);
  }

  /**
   * Creates the exception.
   *
   * @param summary what was refused
   * @param problems why, one line each
   */
  public ImageRefusedException(String summary, List<String> problems) {
    super(dev.stator.internal.text.Printable.escape(summary + (problems.isEmpty() ? ""
        : ": " + String.join("; ", problems))));
    this.problems = List.copyOf(problems);
  }

  /** {@return what does not fit, one line each} */
  public List<String> problems() {
    return problems;
  }
}
