package io.trellis.security.auth;

/** Matches {@code *} (any run of characters, '/' included) and {@code ?} (one character); nothing else is special. */
final class Glob {
  private Glob() {}

  static boolean matches(String glob, String value) {
    int g = 0;
    int v = 0;
    int star = -1;
    int mark = 0;
    while (v < value.length()) {
      if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == value.charAt(v))) {
        g++;
        v++;
      } else if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        mark = v;
      } else if (star >= 0) {
        g = star + 1;
        v = ++mark;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }
}
