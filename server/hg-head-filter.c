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

typedef enum {
  STATE_HEAD,   /* screening the lines of a request head */
  STATE_BODY,   /* passing body_left bytes of a Content-Length body */
  STATE_PASS,   /* everything passes from here on: the connection closes
                 * after this answer (a chunked body, a refused head, an
                 * upgrade) */
  STATE_ENDED,  /* the input ended, or a head came too late: nothing more */
} State;

struct _HgHeadFilterInput {
  GFilterInputStream parent_instance;
  GByteArray        *raw;        /* read from the base, not screened yet */
  GByteArray        *ready;      /* screened, for the reader */
  GIOStream         *connection; /* whose input this is */
  State              state;
  guint64            body_left;
  /* The head being screened. */
  gsize              head_bytes;
  gboolean           request_line_seen;
  gboolean           encoding_seen;
  gboolean           length_seen;
  guint64            length;
  gboolean           length_twice;
  gboolean           upgrade_seen;
  gboolean           refused;
  /* A head must be complete this long after the filter starts waiting
   * for it (0: no limit); then reads fail and libsoup closes. */
  gint64             head_timeout_us;
  gint64             head_deadline;  /* monotonic; 0 while no head is awaited */
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
  else if (equals (name, name_end, "Content-Length"))
    {
      if (!is_length (value, value_end))
        return "content-length";
      /* Two lengths: the server refuses the request (hg-guard.c) and
       * closes; the filter cannot tell where the next head would be. */
      if (self->length_seen)
        self->length_twice = TRUE;
      self->length_seen = TRUE;
      self->length = g_ascii_strtoull (value, NULL, 10);
    }
  else if (equals (name, name_end, "Upgrade"))
    self->upgrade_seen = TRUE;
  return NULL;
}

static void
start_head (HgHeadFilterInput *self)
{
  self->state = STATE_HEAD;
  self->head_bytes = 0;
  self->request_line_seen = FALSE;
  self->encoding_seen = FALSE;
  self->length_seen = FALSE;
  self->length = 0;
  self->length_twice = FALSE;
  self->upgrade_seen = FALSE;
  self->refused = FALSE;
  self->head_deadline = 0;
}

/* The blank line: what follows is the body, if any, then the next head. */
static void
end_head (HgHeadFilterInput *self)
{
  /* A chunked body ends where only an HTTP parser can tell, and the
   * server closes the connection after such a request (hg-server.c);
   * a refused head is answered 400 and closed too. After an upgrade,
   * the connection speaks WebSocket. */
  if (self->refused || self->encoding_seen || self->upgrade_seen || self->length_twice)
    self->state = STATE_PASS;
  else if (self->length_seen && self->length > 0)
    {
      self->state = STATE_BODY;
      self->body_left = self->length;
    }
  else
    start_head (self);
}

static void
screen_line (HgHeadFilterInput *self,
             const char        *line,
             gsize              len)
{
  const char *why = NULL;

  self->head_bytes += len;
  if (is_blank (line, len))
    {
      /* Before the request line, a blank line is skipped; after it, it
       * ends the head. */
      g_byte_array_append (self->ready, (const guint8 *) line, len);
      if (self->request_line_seen)
        end_head (self);
      return;
    }
  else if (!self->request_line_seen)
    self->request_line_seen = TRUE;
  else
    why = refusal (self, line, len);

  if (why == NULL)
    {
      g_byte_array_append (self->ready, (const guint8 *) line, len);
      return;
    }
  self->refused = TRUE;
  g_debug ("Refusing a request head with a bad %s line", why);
  {
    g_autofree char *marker = g_strdup_printf ("%s: %s\r\n", HG_HEAD_FILTER_REFUSED, why);

    g_byte_array_append (self->ready, (const guint8 *) marker, strlen (marker));
  }
}

static void
pass_raw (HgHeadFilterInput *self,
          gsize              len)
{
  g_byte_array_append (self->ready, self->raw->data, len);
  g_byte_array_remove_range (self->raw, 0, len);
}

/* Moves from raw to ready every complete line of a head, and the bodies
 * that follow the heads. */
static gboolean
screen (HgHeadFilterInput  *self,
        GError            **error)
{
  while (self->raw->len > 0)
    {
      const guint8 *newline;

      if (self->state == STATE_PASS)
        pass_raw (self, self->raw->len);
      else if (self->state == STATE_BODY)
        {
          gsize len = MIN (self->body_left, self->raw->len);

          pass_raw (self, len);
          self->body_left -= len;
          if (self->body_left == 0)
            start_head (self);
        }
      else if ((newline = memchr (self->raw->data, '\n', self->raw->len)) != NULL)
        {
          gsize len = newline - self->raw->data + 1;

          screen_line (self, (const char *) self->raw->data, len);
          g_byte_array_remove_range (self->raw, 0, len);
        }
      else
        break;
    }
  if (self->state == STATE_HEAD && self->head_bytes + self->raw->len > HEAD_LIMIT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "request head over %d bytes", HEAD_LIMIT);
      return FALSE;
    }
  return TRUE;
}

/* Whether a head is awaited under a time limit. */
static gboolean
head_timed (HgHeadFilterInput *self)
{
  return self->state == STATE_HEAD && self->head_timeout_us > 0;
}

/* When the head awaited is due: waiting for it (or the rest of it)
 * starts the clock. */
static gint64
head_due (HgHeadFilterInput *self,
          gint64             now)
{
  if (self->head_deadline == 0)
    self->head_deadline = now + self->head_timeout_us;
  return self->head_deadline;
}

static gboolean
head_overdue (HgHeadFilterInput *self)
{
  gint64 now = g_get_monotonic_time ();

  return head_timed (self) && now >= head_due (self, now);
}

static GSocket *
socket_of (GIOStream *stream)
{
  g_autoptr(GIOStream) inner = NULL;

  if (G_IS_TLS_CONNECTION (stream))
    {
      g_object_get (stream, "base-io-stream", &inner, NULL);
      stream = inner;
    }
  return G_IS_SOCKET_CONNECTION (stream) ? g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream)) : NULL;
}

/* No more input: the client closed, or its head is overdue.
 *
 * libsoup 3.2 (fixed in 3.3) never closes a connection whose input ends
 * before the first byte of a request: a client that closes a kept-alive
 * connection, or connects and sends nothing, would hold a socket for
 * good. A lone line end makes that request begin; libsoup then finds no
 * request line and closes the connection. Its answer (400) must reach
 * no one: an idle client could take it for the answer to a request it
 * sends at that moment. So when the server is the one ending it, the
 * socket is shut for writing first, the answer fails, and the client
 * sees the connection close. */
static void
end_input (HgHeadFilterInput *self,
           gboolean           overdue)
{
  gboolean begun = self->head_bytes > 0 || self->raw->len > 0;

  if (overdue)
    {
      GSocket *socket = socket_of (self->connection);

      g_debug ("Closing a connection: no complete request head within %" G_GINT64_FORMAT " s",
               self->head_timeout_us / G_USEC_PER_SEC);
      if (socket != NULL)
        g_socket_shutdown (socket, FALSE, TRUE, NULL);
    }
  pass_raw (self, self->raw->len);
  if (self->state == STATE_HEAD && !begun)
    g_byte_array_append (self->ready, (const guint8 *) "\r\n", 2);
  self->state = STATE_ENDED;
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
      if (self->state == STATE_ENDED)
        return 0;
      if (self->state == STATE_PASS)
        return g_pollable_stream_read (base, buffer, count, blocking, cancellable, error);
      if (self->state == STATE_BODY && self->raw->len == 0)
        {
          /* A body goes straight through, up to its end. */
          n = g_pollable_stream_read (base, buffer, MIN (count, self->body_left), blocking, cancellable, error);
          if (n > 0 && (self->body_left -= n) == 0)
            start_head (self);
          return n;
        }
      if (head_overdue (self))
        {
          end_input (self, TRUE);
          continue;
        }
      n = g_pollable_stream_read (base, chunk, sizeof chunk, blocking, cancellable, error);
      if (n < 0)
        return n;
      if (n == 0)
        {
          /* The end within a head: libsoup sees it cut short and never
           * parses it. */
          end_input (self, FALSE);
          continue;
        }
      g_byte_array_append (self->raw, chunk, n);
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
  HgHeadFilterInput *self = HG_HEAD_FILTER_INPUT (stream);

  return self->ready->len > 0 || self->state == STATE_ENDED ||
         (self->state == STATE_HEAD && self->head_deadline != 0 &&
          g_get_monotonic_time () >= self->head_deadline) ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base_of (stream)));
}

static GSource *
hg_head_filter_input_create_source (GPollableInputStream *stream,
                                    GCancellable         *cancellable)
{
  HgHeadFilterInput *self = HG_HEAD_FILTER_INPUT (stream);
  g_autoptr(GSource) child = NULL;
  GSource *source;

  /* Screened bytes waiting, or the end: ready now, whatever the socket
   * says. */
  if (self->ready->len > 0 || self->state == STATE_ENDED)
    return g_pollable_source_new_full (stream, child = g_timeout_source_new (0), cancellable);
  child = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (base_of (stream)), NULL);
  source = g_pollable_source_new_full (stream, child, cancellable);
  /* Waiting for a head: wake the reader at the deadline too, so that its
   * read fails and it closes the connection. */
  if (head_timed (self))
    {
      g_autoptr(GSource) deadline = NULL;
      gint64 now = g_get_monotonic_time ();

      deadline = g_timeout_source_new ((guint) MAX (0, (head_due (self, now) - now + 999) / 1000));
      /* A child only wakes its parent; GLib still wants it a callback. */
      g_source_set_dummy_callback (deadline);
      g_source_add_child_source (source, deadline);
    }
  return source;
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
  g_clear_object (&self->connection);
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
  start_head (self);
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
hg_head_filter_new (GIOStream *base,
                    guint      head_timeout_s)
{
  HgHeadFilter *self;
  HgHeadFilterInput *input;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  self = g_object_new (HG_TYPE_HEAD_FILTER, NULL);
  self->base = g_object_ref (base);
  input = g_object_new (HG_TYPE_HEAD_FILTER_INPUT,
                        "base-stream", g_io_stream_get_input_stream (base),
                        "close-base-stream", FALSE,
                        NULL);
  input->head_timeout_us = (gint64) head_timeout_s * G_USEC_PER_SEC;
  input->connection = g_object_ref (base);
  self->input = G_INPUT_STREAM (input);
  return G_IO_STREAM (self);
}

/* An accepted socket may not know its protocol (GLib leaves it at
 * DEFAULT): a stream socket of an internet family is TCP. */
static gboolean
is_tcp (GSocket *socket)
{
  GSocketFamily family = g_socket_get_family (socket);
  GSocketProtocol protocol = g_socket_get_protocol (socket);

  return (family == G_SOCKET_FAMILY_IPV4 || family == G_SOCKET_FAMILY_IPV6) &&
         g_socket_get_socket_type (socket) == G_SOCKET_TYPE_STREAM &&
         (protocol == G_SOCKET_PROTOCOL_TCP || protocol == G_SOCKET_PROTOCOL_DEFAULT);
}

GSocket *
hg_head_filter_find_tcp_socket (GIOStream *stream)
{
  /* Each layer holds the one under it, so no reference is needed. */
  for (guint depth = 0; G_IS_IO_STREAM (stream) && depth < 4; depth++)
    {
      g_autoptr(GIOStream) inner = NULL;
      GParamSpec *base;

      if (HG_IS_HEAD_FILTER (stream))
        {
          GSocket *socket = socket_of (HG_HEAD_FILTER (stream)->base);

          return socket != NULL && is_tcp (socket) ? socket : NULL;
        }
      /* libsoup's SoupIOStream, a private type with a public property. */
      base = g_object_class_find_property (G_OBJECT_GET_CLASS (stream), "base-iostream");
      if (base == NULL || !g_type_is_a (base->value_type, G_TYPE_IO_STREAM))
        return NULL;
      g_object_get (stream, "base-iostream", &inner, NULL);
      stream = inner;
    }
  return NULL;
}
