package dev.stator.store;

import dev.stator.durable.MachineImage;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where durable machines are kept: one image per machine, under its machine id. The newest image
 * of a machine (the one with the most {@link MachineImage#steps() steps}) wins, whatever order
 * writes arrive in.
 *
 * <p>{@link Persistence} writes a store after every step of the machines it makes durable; a store
 * may also be used directly, to list, load and delete machines.
 *
 * <p><b>Thread-safety:</b> implementations are safe for use by several threads.
 */
public interface MachineStore extends AutoCloseable {

  /**
   * Writes images in one transaction: all of them are stored, or none. Each replaces the stored
   * image of its machine if it has more steps; an older one changes nothing.
   *
   * @param images the images, at most one per machine
   * @throws StoreException if the transaction failed; nothing of it is stored
   */
  void saveAll(Collection<MachineImage> images);

  /**
   * Deletes machines in one transaction, with {@link #saveAll} semantics for failure.
   *
   * @param machineIds the machines to delete; ids not stored are ignored
   * @throws StoreException if the transaction failed
   */
  void deleteAll(Collection<String> machineIds);

  /**
   * {@return the image stored for a machine, if any}
   *
   * @param machineId the machine's id
   * @throws StoreException if it could not be read, or the stored bytes are not an image
   */
  Optional<MachineImage> load(String machineId);

  /**
   * {@return the ids of the stored machines, sorted}
   *
   * @throws StoreException if they could not be read
   */
  List<String> machineIds();

  /**
   * {@return every stored image of machines of one definition, by machine id}
   *
   * @param definitionId the definition's id
   * @throws StoreException if they could not be read, or stored bytes are not an image
   */
  List<MachineImage> loadAll(String definitionId);

  /**
   * Closes the store's connections.
   *
   * @throws StoreException if closing failed
   */
  @Override
  void close();
}
