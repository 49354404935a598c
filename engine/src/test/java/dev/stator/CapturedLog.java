package dev.stator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the engine logs on {@code System.Logger "dev.stator"} (docs/observability.md), captured
 * through {@code java.util.logging}, where the platform logger writes when no logging library is on
 * the path. Open it before the code under test runs and close it after.
 */
final class CapturedLog extends Handler implements AutoCloseable {

  /** Held strongly: java.util.logging keeps its loggers only weakly. */
  private static final Logger ENGINE = Logger.getLogger("dev.stator");

  private final List<LogRecord> records = new ArrayList<>();

  private CapturedLog() {
    setLevel(Level.ALL);
  }

  static CapturedLog open() {
    CapturedLog log = new CapturedLog();
    ENGINE.addHandler(log);
    return log;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    records.add(record);
    notifyAll();
  }

  /** Returns the records whose message contains {@code text}. */
  synchronized List<LogRecord> containing(String text) {
    return records.stream().filter(r -> r.getMessage() != null && r.getMessage().contains(text))
        .toList();
  }

  /** Waits (at most 10 s) for a record whose message contains {@code text}, and returns it. */
  LogRecord await(String text) throws InterruptedException {
    return await(r -> r.getMessage() != null && r.getMessage().contains(text), text);
  }

  /** Waits (at most 10 s) for a record that matches, and returns it. */
  synchronized LogRecord await(Predicate<LogRecord> wanted, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      for (LogRecord record : records) {
        if (wanted.test(record)) {
          return record;
        }
      }
      long left = deadline - System.nanoTime();
      assertThat(left).as("a log record: " + what + "; logged: "
          + records.stream().map(LogRecord::getMessage).toList()).isPositive();
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    ENGINE.removeHandler(this);
  }
}
