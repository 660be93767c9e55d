package io.trellis.client;

import io.trellis.api.SchedulerCall;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * States a framework's demands so that one the master refuses (a gang larger than the cluster or
 * than its role's limit, a malformed shape) never keeps the others from being stated: the master
 * names the demand it refuses ({@code request.demands[i]...}); that one is dropped, reported, and
 * the rest is sent again.
 */
public final class DemandRequests {
  private static final Pattern INDEX = Pattern.compile("demands\\[(\\d+)]");

  private DemandRequests() {}

  /**
   * Sends {@code demands}, dropping each refused demand and passing it with the refusal's message
   * to {@code refused}.
   *
   * @return the demands the master took
   * @throws RuntimeException the master's refusal when it names no demand (nothing was stated)
   */
  public static List<SchedulerCall.Demand> send(SchedulerClient client, List<SchedulerCall.Demand> demands,
      BiConsumer<SchedulerCall.Demand, String> refused) {
    List<SchedulerCall.Demand> sent = new ArrayList<>(demands);
    while (true) {
      try {
        client.request(sent);
        return sent;
      } catch (RuntimeException e) {
        int i = refusedIndex(e.getMessage());
        if (i < 0 || i >= sent.size()) {
          throw e;
        }
        refused.accept(sent.remove(i), e.getMessage());
      }
    }
  }

  /** The index of the demand a refusal names, or -1. */
  static int refusedIndex(String message) {
    Matcher m = INDEX.matcher(message == null ? "" : message);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }
}
