#include "common/ts-text.h"

#include <string.h>

/* Bytes of the next character at p (of `left` bytes), 0 when it is not valid UTF-8 or is a control. */
static gsize
safe_char_len(const char *p, gsize left, gboolean keep_newlines)
{
  unsigned char c = (unsigned char) *p;
  if (c < 0x20)
    return keep_newlines && (c == '\n' || c == '\t') ? 1 : 0;
  if (c == 0x7f)
    return 0;
  if (c < 0x80)
    return 1;
  gunichar u = g_utf8_get_char_validated(p, (gssize) left);
  if (u == (gunichar) -1 || u == (gunichar) -2)
    return 0;
  if (u >= 0x80 && u <= 0x9f) /* C1 controls: CSI (U+009B) starts an escape sequence on some terminals */
    return 0;
  return (gsize) (g_utf8_next_char(p) - p);
}

char *
ts_text_escape(const char *text, gssize len, gsize max, gboolean keep_newlines)
{
  if (text == NULL)
    return NULL;
  gsize n = len < 0 ? strlen(text) : (gsize) len;
  gboolean cut = max > 0 && n > max;
  gsize keep = cut ? max : n;
  GString *out = g_string_sized_new(MIN(keep, 4096) + 8);
  gsize i = 0;
  while (i < keep) {
    gsize l = safe_char_len(text + i, n - i, keep_newlines);
    if (l == 0) {
      static const char hex[] = "0123456789ABCDEF";
      unsigned char c = (unsigned char) text[i];
      char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
      g_string_append_len(out, esc, 4);
      i++;
    } else if (i + l > keep) {
      break; /* a character the cut would split */
    } else {
      g_string_append_len(out, text + i, (gssize) l);
      i += l;
    }
  }
  if (cut)
    g_string_append(out, "...");
  return g_string_free(out, FALSE);
}

gboolean
ts_text_is_safe(const char *text, gboolean keep_newlines)
{
  gsize n = strlen(text);
  for (gsize i = 0; i < n;) {
    gsize l = safe_char_len(text + i, n - i, keep_newlines);
    if (l == 0)
      return FALSE;
    i += l;
  }
  return TRUE;
}
