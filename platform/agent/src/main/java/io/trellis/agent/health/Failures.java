package io.trellis.agent.health;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Probe failures in words. */
final class Failures {
  private Failures() {}

  static String describe(Throwable failure, Duration timeout) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof TimeoutException || t instanceof HttpTimeoutException
        || t instanceof java.net.SocketTimeoutException
        || t instanceof java.nio.channels.InterruptedByTimeoutException) {
      return "timed out after " + seconds(timeout);
    }
    if (t instanceof java.net.ConnectException || t instanceof java.nio.channels.ClosedChannelException) {
      return "failed: connection refused";
    }
    String message = t.getMessage();
    return "failed: " + (message == null || message.isBlank() ? t.getClass().getSimpleName() : message);
  }

  static String seconds(Duration d) {
    double s = d.toMillis() / 1000.0;
    return (s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s)) + " s";
  }
}
