package dev.stator.durable;

import java.util.Objects;

/**
 * How an image is restored.
 *
 * <p><b>Thread-safety:</b> immutable; each {@code with…} method returns a copy.
 *
 * @param resume how pending timers are scheduled again
 * @param migration what to do with an image that does not fit the definition
 */
public record RestoreOptions(ResumeMode resume, ImageMigration migration) {

  /** Timers at their original deadlines; an image that does not fit is refused. */
  public static final RestoreOptions DEFAULTS =
      new RestoreOptions(ResumeMode.ORIGINAL_DEADLINE, ImageMigration.REFUSE);

  /**
   * Checks both parts.
   *
   * @param resume how pending timers are scheduled again
   * @param migration what to do with an image that does not fit the definition
   */
  public RestoreOptions {
    Objects.requireNonNull(resume, "resume");
    Objects.requireNonNull(migration, "migration");
  }

  /**
   * {@return these options with another resume mode}
   *
   * @param mode how pending timers are scheduled again
   */
  public RestoreOptions withResume(ResumeMode mode) {
    return new RestoreOptions(mode, migration);
  }

  /**
   * {@return these options with a migration for images that do not fit}
   *
   * @param fix the migration
   */
  public RestoreOptions withMigration(ImageMigration fix) {
    return new RestoreOptions(resume, fix);
  }
}
