/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Names shared by the server and its clients. */

#define HG_API_PREFIX          "/api/v1"
#define HG_PROTOCOL_VERSION    1

#define HG_DEFAULT_PORT        8088
#define HG_MAX_BODY_SIZE       (1024 * 1024)
#define HG_MAX_JSON_DEPTH      32
#define HG_MAX_BATCH_ALERTS    500
#define HG_LIST_DEFAULT_LIMIT  50
#define HG_LIST_MAX_LIMIT      500

#define HG_MAX_MESSAGE_LEN     2000
#define HG_MAX_SOURCE_LEN      200
#define HG_MAX_LABELS          32
#define HG_MAX_LABEL_LEN       200
#define HG_MAX_TEXT_LEN        4000   /* notes, reasons */
#define HG_MAX_ID_LEN          64
#define HG_MAX_NAME_LEN        200

#define HG_DEFAULT_CORRELATION_WINDOW 300   /* seconds */
