/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What a WebSocket client may say, parsed apart from the connection so that
 * hostile messages can be fuzzed (tests/fuzz). */

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  HG_STREAM_MESSAGE_OTHER,        /* well formed, but nothing to act on */
  HG_STREAM_MESSAGE_RESUME,       /* {"type": "resume", "since": N >= 0} */
  HG_STREAM_MESSAGE_DELIVERED,    /* {"type": "delivered", "notification_id": N > 0} */
} HgStreamMessageKind;

typedef struct {
  HgStreamMessageKind  kind;
  gint64               number;    /* since or notification_id; -1 for OTHER */
  char                *type;      /* the "type" member as sent, for logs */
} HgStreamMessage;

/* Parses one text message. FALSE when it is not a JSON object with a
 * "type" string of 1 to 32 characters; @out is then left cleared. */
gboolean hg_stream_message_parse (const char      *data,
                                  gsize            len,
                                  HgStreamMessage *out);
void     hg_stream_message_clear (HgStreamMessage *message);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HgStreamMessage, hg_stream_message_clear)

G_END_DECLS
