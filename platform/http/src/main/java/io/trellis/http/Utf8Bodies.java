package io.trellis.http;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A request body read as text must be UTF-8: bytes that are not are a 400, where the default
 * reader would quietly turn them into U+FFFD and let them be stored. Register it with a JAX-RS
 * application whose resources take their body as a {@code String}.
 */
public final class Utf8Bodies implements ReaderInterceptor {
  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    if (context.getType() != String.class) {
      return context.proceed();
    }
    byte[] bytes = context.getInputStream().readAllBytes();
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new BadRequestException("the request body is not UTF-8 text: send JSON encoded as UTF-8");
    }
  }
}
