/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The desktop app's connection to a HealthGuard server, without GTK: signs
 * in, keeps a live list of the active incidents (REST for the first fill,
 * then the /api/v1/stream WebSocket with resume), reconnects on its own,
 * and runs incident actions. Everything runs on the thread-default main
 * context of the thread that made the client. */

#include <gio/gio.h>

#include "hg-models.h"
#include "hg-notification.h"

G_BEGIN_DECLS

typedef enum {
  HG_CLIENT_STATE_OFFLINE,       /* no connection for a while, or never had one */
  HG_CLIENT_STATE_CONNECTING,    /* first connection since hg_client_start() */
  HG_CLIENT_STATE_LIVE,          /* the list follows the server */
  HG_CLIENT_STATE_RECONNECTING,  /* lost the connection a short while ago */
} HgClientState;

#define HG_TYPE_CLIENT (hg_client_get_type ())
G_DECLARE_FINAL_TYPE (HgClient, hg_client, HG, CLIENT, GObject)

/* @base_url: "https://host:port", without a trailing path. */
HgClient      *hg_client_new                 (const char          *base_url);

const char    *hg_client_get_base_url        (HgClient            *self);
const char    *hg_client_get_token           (HgClient            *self);
void           hg_client_set_token           (HgClient            *self,
                                              const char          *token);
HgClientState  hg_client_get_state           (HgClient            *self);
/* Wall-clock µs since which the connection is lost, or 0 when live. */
gint64         hg_client_get_offline_since   (HgClient            *self);
/* The seq of the last stream event applied. */
gint64         hg_client_get_last_seq        (HgClient            *self);
/* The server's websocket_ping_interval, in milliseconds (15000). A link
 * that carries nothing for twice as long is taken as dead. */
guint          hg_client_get_ping_interval   (HgClient            *self);
void           hg_client_set_ping_interval   (HgClient            *self,
                                              guint                msec);
/* How long RECONNECTING lasts before OFFLINE, in milliseconds (15000). */
guint          hg_client_get_offline_timeout (HgClient            *self);
void           hg_client_set_offline_timeout (HgClient            *self,
                                              guint                msec);

/* POST /api/v1/auth/login; on success the client holds the token. Errors
 * are HG_ERROR with the server's own message. @station may be NULL. */
void           hg_client_login_async         (HgClient            *self,
                                              const char          *staff_id,
                                              const char          *password,
                                              const char          *station,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean       hg_client_login_finish        (HgClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* Who signed in, from the sign-in answer's "staff"; NULL (and the role
 * HG_ROLE_NURSE, the one with the fewest rights) before. (transfer none) */
HgStaff       *hg_client_get_staff           (HgClient            *self);
const char    *hg_client_get_staff_id        (HgClient            *self);
HgRole         hg_client_get_role            (HgClient            *self);

/* The active incidents (open, assigned, acknowledged, in_progress), a
 * GListModel of HgIncident in no particular order. Updates happen in
 * place: the same object, with property notifications. (transfer none) */
GListModel    *hg_client_get_incidents       (HgClient            *self);

/* Fills the list and follows the stream until hg_client_stop(). Needs the
 * token. */
void           hg_client_start               (HgClient            *self);
void           hg_client_stop                (HgClient            *self);
/* Before hg_client_start(): fills the list with @incidents (HgIncident),
 * a list known to be as of stream @seq (the offline cache's), so that it
 * shows at once. The start then resumes from @seq instead of fetching;
 * when the server cannot replay from there it says resync_required and
 * the list is fetched again. */
void           hg_client_seed                (HgClient            *self,
                                              GPtrArray           *incidents,
                                              gint64               seq);

/* POST /api/v1/incidents/{id}/{action} with @body_json (a JSON object as
 * text, or NULL for none). The answer is applied to the list. */
void           hg_client_act_async           (HgClient            *self,
                                              gint64               incident_id,
                                              const char          *action,
                                              const char          *body_json,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* Returns the incident as the server answered it. */
HgIncident    *hg_client_act_finish          (HgClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* GET /api/v1/incidents/{id}: the incident with its alerts, notes and
 * timeline (hg_incident_get_notes() …). Not applied to the list. */
void           hg_client_get_incident_async  (HgClient            *self,
                                              gint64               incident_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
HgIncident    *hg_client_get_incident_finish (HgClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* POST /api/v1/incidents/{id}/notes {"text"}. */
void           hg_client_add_note_async      (HgClient            *self,
                                              gint64               incident_id,
                                              const char          *text,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean       hg_client_add_note_finish     (HgClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* --- Staff and metrics (hg-client-staff.c) --- */

/* GET /api/v1/staff: every account, a GPtrArray of HgStaff ordered by id.
 * The client's "staff-updated" signal carries each change after that. */
void           hg_client_list_staff_async    (HgClient            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray     *hg_client_list_staff_finish   (HgClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* GET /api/v1/me: the signed-in person. */
void           hg_client_get_me_async        (HgClient            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
HgStaff       *hg_client_get_me_finish       (HgClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* PUT /api/v1/me/availability; @reason may be NULL. Returns the person as
 * the server answered. */
void           hg_client_set_availability_async  (HgClient            *self,
                                                  gboolean             available,
                                                  const char          *reason,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
HgStaff       *hg_client_set_availability_finish (HgClient            *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Response times in seconds; mean, p50 and p90 are -1 when count is 0. */
typedef struct {
  guint  count;
  double mean;
  double p50;
  double p90;
} HgDurations;

/* GET /api/v1/incidents/stats: incidents created in the window by their
 * current severity; acknowledgement and resolution times. */
typedef struct {
  gint64      window;
  guint       total;
  guint       by_severity[HG_N_SEVERITIES];
  HgDurations mtta;
  HgDurations mttr;
} HgIncidentStats;

void             hg_incident_stats_free      (HgIncidentStats     *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HgIncidentStats, hg_incident_stats_free)

void             hg_client_get_stats_async   (HgClient            *self,
                                              guint                window_seconds,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
HgIncidentStats *hg_client_get_stats_finish  (HgClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* The incidents, in any status, created at or after @since_ms (ms since
 * the epoch), newest first: GET /api/v1/incidents paged until the pages
 * reach older ones (and 10,000 at most). A GPtrArray of HgIncident. */
void           hg_client_list_recent_incidents_async  (HgClient            *self,
                                                       gint64               since_ms,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GPtrArray     *hg_client_list_recent_incidents_finish (HgClient            *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* --- Notifications (hg-client-notifications.c) --- */

/* The client's "notification" signal carries each "notification" event of
 * the stream (its data, a JsonObject, as API.md describes it), and
 * "alarm" each "alarm" event ({"incident", "priority", "reason"}). */

/* GET /api/v1/notifications, newest first, paged until @max: a GPtrArray
 * of HgNotification. With @unread_only, the unread ones only. */
void           hg_client_list_notifications_async      (HgClient            *self,
                                                        gboolean             unread_only,
                                                        guint                max,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray     *hg_client_list_notifications_finish     (HgClient            *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* POST /api/v1/notifications/{id}/read; with @notification_id 0, POST
 * /api/v1/notifications/read-all. */
void           hg_client_mark_notification_read_async  (HgClient            *self,
                                                        gint64               notification_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean       hg_client_mark_notification_read_finish (HgClient            *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

G_END_DECLS
