package dev.stator.durable;

import java.util.List;

/**
 * Adapts an image taken under an earlier version of a definition that no longer fits it: an active
 * state was removed or renamed, a timer's delayed transition or a call is gone.
 *
 * <p>Called on the restoring thread, only for an image that does not fit; what it returns is
 * checked again, and refused if it still does not fit.
 */
@FunctionalInterface
public interface ImageMigration {

  /** Refuses every image that does not fit: the default. */
  ImageMigration REFUSE = (image, problems) -> {
    throw new ImageRefusedException(image, problems);
  };

  /**
   * Migrates an image.
   *
   * @param image the image as stored
   * @param problems what does not fit the definition, one line each, naming the state or timer
   * @return an image that fits the definition, typically made with the record's constructor from
   *     this one with its paths renamed
   * @throws ImageRefusedException to refuse it
   */
  MachineImage migrate(MachineImage image, List<String> problems);
}
