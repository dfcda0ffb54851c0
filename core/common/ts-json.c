/* Bounded JSON reading: size and depth checked on the raw bytes before a parser sees them. */
#include "common/ts-json.h"

#include "common/ts-error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

gboolean
ts_json_check_limits(const char *data, gsize len, const char *path, gsize max_bytes, int code, GError **error)
{
  if (len > max_bytes) {
    g_set_error(error, TS_ERROR, code, "%s: %" G_GSIZE_FORMAT " bytes, more than the %" G_GSIZE_FORMAT
                " bytes a JSON file may have here", path, len, max_bytes);
    return FALSE;
  }
  /* A scan that knows only strings and brackets: whatever else is wrong is the parser's to report. */
  guint depth = 0, line = 1;
  gboolean in_string = FALSE;
  for (gsize i = 0; i < len; i++) {
    char c = data[i];
    if (c == '\n')
      line++;
    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = FALSE;
      continue;
    }
    if (c == '"') {
      in_string = TRUE;
    } else if (c == '[' || c == '{') {
      if (++depth > TS_JSON_MAX_DEPTH) {
        g_set_error(error, TS_ERROR, code, "%s:%u: nested more than %d levels deep (arrays and objects)", path,
                    line, TS_JSON_MAX_DEPTH);
        return FALSE;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
  }
  return TRUE;
}

gboolean
ts_file_read_bounded(const char *path, gsize max_bytes, int code, char **data, gsize *len, GError **error)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int e = errno;
    g_set_error(error, TS_ERROR, code, "%s: cannot open: %s", path, g_strerror(e));
    return FALSE;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    g_set_error(error, TS_ERROR, code, "%s: not a regular file", path);
    return FALSE;
  }
  if ((guint64) st.st_size > max_bytes) {
    close(fd);
    g_set_error(error, TS_ERROR, code, "%s: %" G_GUINT64_FORMAT " bytes, more than the %" G_GSIZE_FORMAT
                " bytes accepted for this file", path, (guint64) st.st_size, max_bytes);
    return FALSE;
  }
  /* Read up to one byte past the limit, so a file that grows while we read is still caught. */
  gsize cap = (gsize) st.st_size + 1, used = 0;
  char *buf = g_malloc(cap + 1);
  for (;;) {
    if (used == cap) {
      if (cap > max_bytes)
        break;
      cap = MIN(cap * 2, max_bytes + 1);
      buf = g_realloc(buf, cap + 1);
    }
    ssize_t n = read(fd, buf + used, cap - used);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      g_free(buf);
      g_set_error(error, TS_ERROR, code, "%s: cannot read: %s", path, g_strerror(e));
      return FALSE;
    }
    if (n == 0)
      break;
    used += (gsize) n;
  }
  close(fd);
  if (used > max_bytes) {
    g_free(buf);
    g_set_error(error, TS_ERROR, code, "%s: more than the %" G_GSIZE_FORMAT " bytes accepted for this file",
                path, max_bytes);
    return FALSE;
  }
  buf[used] = '\0';
  *data = buf;
  *len = used;
  return TRUE;
}
