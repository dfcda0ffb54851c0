/* Text from scripts, made safe to show: every string a scenario controls (names, error messages, print
 * output) passes through here before it reaches a terminal, a CSV cell or a report, so a name such as
 * "x\27[2J" cannot clear the screen or forge lines of the summary. */
#ifndef TS_TEXT_H
#define TS_TEXT_H

#include <glib.h>

/* A copy of `text` (len bytes, or -1 for NUL-terminated) with C0 controls (except \n and \t when
 * keep_newlines), DEL, C1 controls (U+0080..U+009F) and bytes that are not valid UTF-8 written as \xHH.
 * When `max` > 0, at most `max` bytes of the input are kept, cut at a character boundary, and "..." is
 * appended to show the cut. */
char *ts_text_escape(const char *text, gssize len, gsize max, gboolean keep_newlines);

/* TRUE when ts_text_escape(text, -1, 0, keep_newlines) would return `text` unchanged. */
gboolean ts_text_is_safe(const char *text, gboolean keep_newlines);

#endif
