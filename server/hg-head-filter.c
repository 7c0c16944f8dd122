/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Server"

#include "config.h"

#include <string.h>

#include "hg-head-filter.h"

/* libsoup refuses heads over 64 KiB itself; past twice that, nothing
 * honest is still talking. */
#define HEAD_LIMIT (128 * 1024)
#define MAX_LENGTH_DIGITS 19

/* --- The screened input --------------------------------------------- */

#define HG_TYPE_HEAD_FILTER_INPUT (hg_head_filter_input_get_type ())
G_DECLARE_FINAL_TYPE (HgHeadFilterInput, hg_head_filter_input, HG, HEAD_FILTER_INPUT, GFilterInputStream)

struct _HgHeadFilterInput {
  GFilterInputStream parent_instance;
  GByteArray        *raw;        /* read from the base, not screened yet */
  GByteArray        *ready;      /* screened, for the reader */
  gsize              head_bytes;
  gboolean           request_line_seen;
  gboolean           encoding_seen;
  gboolean           past_head;  /* everything passes from here on */
};

static void hg_head_filter_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HgHeadFilterInput, hg_head_filter_input, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      hg_head_filter_input_pollable_init))

static gboolean
is_blank (const char *line,
          gsize       len)
{
  return (len == 1 && line[0] == '\n') || (len == 2 && line[0] == '\r' && line[1] == '\n');
}

/* [*start, *end) without the spaces, tabs and line end around it. */
static void
trim (const char **start,
      const char **end)
{
  while (*start < *end && (**start == ' ' || **start == '\t'))
    (*start)++;
  while (*end > *start && strchr (" \t\r\n", (*end)[-1]) != NULL)
    (*end)--;
}

static gboolean
equals (const char *start,
        const char *end,
        const char *word)
{
  return (gsize) (end - start) == strlen (word) && g_ascii_strncasecmp (start, word, end - start) == 0;
}

static gboolean
is_length (const char *start,
           const char *end)
{
  if (start == end || end - start > MAX_LENGTH_DIGITS)
    return FALSE;
  for (const char *p = start; p < end; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Why a header line must not reach libsoup, or NULL. Each of these makes
 * libsoup 3.2 read the encoding as "unrecognized", the path it leaks. */
static const char *
refusal (HgHeadFilterInput *self,
         const char        *line,
         gsize              len)
{
  const char *colon = memchr (line, ':', len);
  const char *name = line, *name_end = colon;
  const char *value, *value_end = line + len;

  /* A folded line continues the one before: "chunked" plus " gzip". */
  if (line[0] == ' ' || line[0] == '\t')
    return "folded header";
  if (colon == NULL)
    return NULL;
  value = colon + 1;
  trim (&name, &name_end);
  trim (&value, &value_end);
  if (equals (name, name_end, "Transfer-Encoding"))
    {
      /* Two read as the list "chunked, chunked", which is unrecognized. */
      if (self->encoding_seen || !equals (value, value_end, "chunked"))
        return "transfer-encoding";
      self->encoding_seen = TRUE;
    }
  else if (equals (name, name_end, "Content-Length") && !is_length (value, value_end))
    return "content-length";
  return NULL;
}

static void
screen_line (HgHeadFilterInput *self,
             const char        *line,
             gsize              len)
{
  const char *why = NULL;

  if (is_blank (line, len))
    /* Before the request line, a blank line is skipped; after it, it
     * ends the head. */
    self->past_head = self->request_line_seen;
  else if (!self->request_line_seen)
    self->request_line_seen = TRUE;
  else
    why = refusal (self, line, len);

  if (why == NULL)
    {
      g_byte_array_append (self->ready, (const guint8 *) line, len);
      return;
    }
  g_debug ("Refusing a request head with a bad %s line", why);
  {
    g_autofree char *marker = g_strdup_printf ("%s: %s\r\n", HG_HEAD_FILTER_REFUSED, why);

    g_byte_array_append (self->ready, (const guint8 *) marker, strlen (marker));
  }
}

/* Moves every complete line of the head from raw to ready. */
static gboolean
screen (HgHeadFilterInput  *self,
        GError            **error)
{
  const guint8 *newline;

  while (!self->past_head && (newline = memchr (self->raw->data, '\n', self->raw->len)) != NULL)
    {
      gsize len = newline - self->raw->data + 1;

      screen_line (self, (const char *) self->raw->data, len);
      g_byte_array_remove_range (self->raw, 0, len);
    }
  if (self->past_head)
    {
      g_byte_array_append (self->ready, self->raw->data, self->raw->len);
      g_byte_array_set_size (self->raw, 0);
    }
  else if (self->head_bytes > HEAD_LIMIT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "request head over %d bytes", HEAD_LIMIT);
      return FALSE;
    }
  return TRUE;
}

static gssize
take_ready (HgHeadFilterInput *self,
            void              *buffer,
            gsize              count)
{
  gsize n = MIN (count, self->ready->len);

  memcpy (buffer, self->ready->data, n);
  g_byte_array_remove_range (self->ready, 0, n);
  return n;
}

static gssize
filter_read (HgHeadFilterInput  *self,
             void               *buffer,
             gsize               count,
             gboolean            blocking,
             GCancellable       *cancellable,
             GError            **error)
{
  GInputStream *base = G_FILTER_INPUT_STREAM (self)->base_stream;

  for (;;)
    {
      guint8 chunk[4096];
      gssize n;

      if (self->ready->len > 0)
        return take_ready (self, buffer, count);
      if (self->past_head)
        return g_pollable_stream_read (base, buffer, count, blocking, cancellable, error);
      n = g_pollable_stream_read (base, chunk, sizeof chunk, blocking, cancellable, error);
      if (n < 0)
        return n;
      if (n == 0)
        {
          /* The end within the head: libsoup sees it cut short and never
           * parses it. */
          self->past_head = TRUE;
          if (self->raw->len == 0)
            return 0;
        }
      g_byte_array_append (self->raw, chunk, n);
      self->head_bytes += n;
      if (!screen (self, error))
        return -1;
    }
}

static gssize
hg_head_filter_input_read (GInputStream  *stream,
                           void          *buffer,
                           gsize          count,
                           GCancellable  *cancellable,
                           GError       **error)
{
  return filter_read (HG_HEAD_FILTER_INPUT (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
hg_head_filter_input_read_nonblocking (GPollableInputStream  *stream,
                                       void                  *buffer,
                                       gsize                  count,
                                       GError               **error)
{
  return filter_read (HG_HEAD_FILTER_INPUT (stream), buffer, count, FALSE, NULL, error);
}

static GInputStream *
base_of (GPollableInputStream *stream)
{
  return G_FILTER_INPUT_STREAM (stream)->base_stream;
}

static gboolean
hg_head_filter_input_can_poll (GPollableInputStream *stream)
{
  GInputStream *base = base_of (stream);

  return G_IS_POLLABLE_INPUT_STREAM (base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
hg_head_filter_input_is_readable (GPollableInputStream *stream)
{
  return HG_HEAD_FILTER_INPUT (stream)->ready->len > 0 ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base_of (stream)));
}

static GSource *
hg_head_filter_input_create_source (GPollableInputStream *stream,
                                    GCancellable         *cancellable)
{
  g_autoptr(GSource) child = NULL;

  /* Screened bytes waiting: ready now, whatever the socket says. */
  if (HG_HEAD_FILTER_INPUT (stream)->ready->len > 0)
    child = g_timeout_source_new (0);
  else
    child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (base_of (stream)), NULL);
  return g_pollable_source_new_full (stream, child, cancellable);
}

static void
hg_head_filter_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = hg_head_filter_input_can_poll;
  iface->is_readable = hg_head_filter_input_is_readable;
  iface->create_source = hg_head_filter_input_create_source;
  iface->read_nonblocking = hg_head_filter_input_read_nonblocking;
}

static void
hg_head_filter_input_finalize (GObject *object)
{
  HgHeadFilterInput *self = HG_HEAD_FILTER_INPUT (object);

  g_byte_array_unref (self->raw);
  g_byte_array_unref (self->ready);
  G_OBJECT_CLASS (hg_head_filter_input_parent_class)->finalize (object);
}

static void
hg_head_filter_input_class_init (HgHeadFilterInputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hg_head_filter_input_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = hg_head_filter_input_read;
}

static void
hg_head_filter_input_init (HgHeadFilterInput *self)
{
  self->raw = g_byte_array_new ();
  self->ready = g_byte_array_new ();
}

/* --- The connection --------------------------------------------------- */

#define HG_TYPE_HEAD_FILTER (hg_head_filter_get_type ())
G_DECLARE_FINAL_TYPE (HgHeadFilter, hg_head_filter, HG, HEAD_FILTER, GIOStream)

struct _HgHeadFilter {
  GIOStream     parent_instance;
  GIOStream    *base;
  GInputStream *input;
};

G_DEFINE_FINAL_TYPE (HgHeadFilter, hg_head_filter, G_TYPE_IO_STREAM)

static GInputStream *
hg_head_filter_get_input_stream (GIOStream *stream)
{
  return HG_HEAD_FILTER (stream)->input;
}

static GOutputStream *
hg_head_filter_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (HG_HEAD_FILTER (stream)->base);
}

/* The filter holds nothing of its own to close: the base does it all. */
static gboolean
hg_head_filter_close (GIOStream     *stream,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return g_io_stream_close (HG_HEAD_FILTER (stream)->base, cancellable, error);
}

static void
base_closed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* GIOStream would close in a thread of its own: a TLS connection belongs
 * on its main context. */
static void
hg_head_filter_close_async (GIOStream           *stream,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, hg_head_filter_close_async);
  g_io_stream_close_async (HG_HEAD_FILTER (stream)->base, io_priority, cancellable, base_closed, task);
}

static gboolean
hg_head_filter_close_finish (GIOStream     *stream,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
hg_head_filter_finalize (GObject *object)
{
  HgHeadFilter *self = HG_HEAD_FILTER (object);

  g_clear_object (&self->input);
  g_clear_object (&self->base);
  G_OBJECT_CLASS (hg_head_filter_parent_class)->finalize (object);
}

static void
hg_head_filter_class_init (HgHeadFilterClass *klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = hg_head_filter_finalize;
  stream_class->get_input_stream = hg_head_filter_get_input_stream;
  stream_class->get_output_stream = hg_head_filter_get_output_stream;
  stream_class->close_fn = hg_head_filter_close;
  stream_class->close_async = hg_head_filter_close_async;
  stream_class->close_finish = hg_head_filter_close_finish;
}

static void
hg_head_filter_init (HgHeadFilter *self)
{
}

GIOStream *
hg_head_filter_new (GIOStream *base)
{
  HgHeadFilter *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  self = g_object_new (HG_TYPE_HEAD_FILTER, NULL);
  self->base = g_object_ref (base);
  self->input = g_object_new (HG_TYPE_HEAD_FILTER_INPUT,
                              "base-stream", g_io_stream_get_input_stream (base),
                              "close-base-stream", FALSE,
                              NULL);
  return G_IO_STREAM (self);
}
