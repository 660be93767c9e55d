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
    try {
      return strict(context.getInputStream().readAllBytes());
    } catch (CharacterCodingException e) {
      throw new BadRequestException(NOT_UTF8);
    }
  }

  /** What a client hears when its body is not UTF-8. */
  public static final String NOT_UTF8 = "the request body is not UTF-8 text: send JSON encoded as UTF-8";

  /** The bytes as UTF-8 text; bytes that are not UTF-8 are refused rather than replaced. */
  public static String strict(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
  }
}
