package io.trellis.http;

import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;

/**
 * Requests the HTTP codec refuses before any handler runs (a request line and headers over the
 * listener's limit, a malformed request line) get a JSON body saying why, instead of an empty
 * 400: the codec filter is swapped for one with the same settings that writes that body. The
 * same codec serves requests asking to upgrade the protocol as plain HTTP/1.1.
 */
final class JsonRefusals implements AddOn {
  /** Grizzly's limit on the request line and headers when the listener sets none. */
  private static final int DEFAULT_MAX_HEADER_SIZE = 8192;

  @Override
  public void setup(NetworkListener listener, FilterChainBuilder builder) {
    int at = builder.indexOfType(HttpServerFilter.class);
    if (at < 0) {
      return;
    }
    HttpServerFilter original = (HttpServerFilter) builder.get(at);
    int max = listener.getMaxHttpHeaderSize() == -1 ? DEFAULT_MAX_HEADER_SIZE : listener.getMaxHttpHeaderSize();
    Codec codec = new Codec(listener, max);
    codec.setAllowPayloadForUndefinedHttpMethods(original.isAllowPayloadForUndefinedHttpMethods());
    codec.setMaxPayloadRemainderToSkip(original.getMaxPayloadRemainderToSkip());
    builder.set(at, codec);
  }

  private static final class Codec extends HttpServerFilter {
    private final int maxHeaderSize;

    Codec(NetworkListener listener, int maxHeaderSize) {
      super(listener.isChunkingEnabled(), maxHeaderSize, null, listener.getKeepAlive(), null,
          listener.getMaxRequestHeaders(), listener.getMaxResponseHeaders());
      this.maxHeaderSize = maxHeaderSize;
    }

    /**
     * No Trellis server speaks another protocol after an {@code Upgrade} (HTTP/2 over cleartext,
     * which Java's own HTTP client asks for by default, or WebSocket): the request is served as
     * HTTP/1.1, as a server may, and its body read by its length. Grizzly would otherwise take
     * everything after the headers for the new protocol's bytes, so a read of the body waited
     * for its timeout and the call failed with a 500.
     */
    @Override
    protected void onIncomingUpgrade(FilterChainContext ctx, HttpHeader header) {
      header.getUpgradeDC().recycle();
    }

    @Override
    protected HttpContent customizeErrorResponse(HttpResponsePacket response) {
      int status = response.getStatus() < 400 ? 400 : response.getStatus();
      byte[] body = ServerGuards.json(status, "the server refused the request before reading it: a malformed"
          + " request line or headers, or a request line and headers over " + maxHeaderSize / 1024
          + " KiB; send long ids and values in a JSON body").getBytes(StandardCharsets.UTF_8);
      response.setContentType("application/json");
      response.setContentLength(body.length);
      return HttpContent.builder(response).content(Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, body))
          .last(true).build();
    }
  }
}
