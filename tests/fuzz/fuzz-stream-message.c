/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A WebSocket client's text message: hg_stream_message_parse, which
 * hg-stream.c on_message calls for every frame a station sends. */

#include "config.h"

#include <string.h>

#include "hg-fuzz.h"
#include "hg-stream-message.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto(HgStreamMessage) message = { 0 };

  hg_fuzz_setup ();
  if (!hg_stream_message_parse ((const char *) data, size, &message))
    {
      g_assert_null (message.type);
      return 0;
    }
  g_assert_nonnull (message.type);
  g_assert_true (g_utf8_validate (message.type, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (message.type, -1), <=, 32);
  switch (message.kind)
    {
    case HG_STREAM_MESSAGE_RESUME:
      g_assert_cmpstr (message.type, ==, "resume");
      g_assert_cmpint (message.number, >=, 0);
      break;
    case HG_STREAM_MESSAGE_DELIVERED:
      g_assert_cmpstr (message.type, ==, "delivered");
      g_assert_cmpint (message.number, >, 0);
      break;
    case HG_STREAM_MESSAGE_OTHER:
      g_assert_cmpint (message.number, ==, -1);
      break;
    default:
      g_assert_not_reached ();
    }
  return 0;
}
