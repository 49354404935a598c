package dev.stator.store;

/**
 * A store could not do what it was asked: the database refused or was unreachable, or a stored
 * image could not be read. The message names the store, the operation and the machine when there
 * is one; the cause is the driver's exception. Thrown on the thread that called the store.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, and where
   * @param cause the driver's exception
   */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
