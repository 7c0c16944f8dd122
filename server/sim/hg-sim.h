/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* healthguard-sim: plays hospital scenarios against a server over its
 * public API, as monitors, bedside observations and staff would, and says
 * what happens as it goes. Everything runs on one GMainLoop with libsoup's
 * async API; each scenario is a small state machine over the helpers
 * below. */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define HG_SIM_EXIT_OK        0
#define HG_SIM_EXIT_FAILED    1
#define HG_SIM_EXIT_USAGE     2

/* The demo hospital's documented password (README, "Demo accounts"). */
#define HG_SIM_DEMO_PASSWORD  "password123"
#define HG_SIM_DEFAULT_SERVER "http://127.0.0.1:8088"

/* The strings are owned by whoever fills the struct (HgSim keeps copies). */
typedef struct {
  const char *server;
  const char *key;
  gboolean    new_key;
  const char *staff_id;
  const char *password;
  const char *admin_id;
  const char *admin_password;
  const char *responder_password;
  double      speed;
  gboolean    respond;
  const char *patient;
  int         patients;
  double      rate;
  double      duration;
  double      escalation_wait;
  const char *leaving;
} HgSimOptions;

/* The demo hospital's patients (data/demo/hospital.json): the cast of the
 * scenarios. */
typedef struct {
  const char *id;
  const char *name;
  const char *ward;
  const char *room;
  const char *bed;
} HgSimPatient;

const HgSimPatient *hg_sim_demo_patients (guint      *out_n);
const HgSimPatient *hg_sim_demo_patient  (const char *id);

#define HG_TYPE_SIM (hg_sim_get_type ())
G_DECLARE_FINAL_TYPE (HgSim, hg_sim, HG, SIM, GObject)

typedef void (*HgSimScenarioFunc) (HgSim *sim);

HgSim              *hg_sim_new              (const char          *scenario,
                                             const HgSimOptions  *options);
/* Checks the server, signs in, starts @start and runs the main loop until
 * the scenario is done or failed; returns the exit status. */
int                 hg_sim_run              (HgSim               *self,
                                             HgSimScenarioFunc    start);
const HgSimOptions *hg_sim_get_options      (HgSim               *self);
/* A few hex digits that make this run's dedup keys its own. */
const char         *hg_sim_get_run_id       (HgSim               *self);
/* The --staff session: reads, supervisor actions. */
const char         *hg_sim_get_token        (HgSim               *self);
/* Its staff object ({"id", "name", "role", …}). */
JsonObject         *hg_sim_get_staff        (HgSim               *self);
/* What alerts and vitals are posted with: the integration key, or the
 * --staff session. */
const char         *hg_sim_get_poster       (HgSim               *self);
/* Seconds since the run started (wall clock, not scaled). */
double              hg_sim_elapsed          (HgSim               *self);
/* Milliseconds since the epoch when the run started. */
gint64              hg_sim_started_ms       (HgSim               *self);

/* The operator's running commentary, on stdout, stamped with the elapsed
 * time. */
void                hg_sim_say              (HgSim               *self,
                                             const char          *format,
                                             ...) G_GNUC_PRINTF (2, 3);
/* Ends the run: prints @error, cleans up, exit status 1. */
void                hg_sim_fail             (HgSim               *self,
                                             const GError        *error);
/* Ends the run: prints the summary, cleans up, exit status 0. */
void                hg_sim_done             (HgSim               *self);
/* A scenario's own line in the summary. */
void                hg_sim_summary_line     (HgSim               *self,
                                             const char          *label,
                                             const char          *format,
                                             ...) G_GNUC_PRINTF (3, 4);

/* --- HTTP ------------------------------------------------------------- */

/* @path starts with "/"; @token may be NULL; @body (may be NULL) is sent
 * as JSON. A 2xx answer completes with its JSON (NULL when empty), any
 * other with an HG_ERROR that carries the server's error code. */
void                hg_sim_request_async    (HgSim               *self,
                                             const char          *method,
                                             const char          *path,
                                             const char          *token,
                                             JsonNode            *body,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
JsonNode           *hg_sim_request_finish   (HgSim               *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* Also the HTTP status (0 when the server could not be reached) and how
 * long the exchange took, in milliseconds. */
JsonNode           *hg_sim_request_finish_full (HgSim            *self,
                                             GAsyncResult        *result,
                                             guint               *out_status,
                                             double              *out_ms,
                                             GError             **error);
/* A session for @staff_id, reused for the rest of the run and ended at
 * its end. */
void                hg_sim_login_async      (HgSim               *self,
                                             const char          *staff_id,
                                             const char          *password,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
const char         *hg_sim_login_finish     (HgSim               *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* Waits @seconds of scenario time: divided by --speed. */
void                hg_sim_sleep_async      (HgSim               *self,
                                             double               seconds,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
void                hg_sim_sleep_finish     (HgSim               *self,
                                             GAsyncResult        *result);
/* Posts one alert (an object) or several (an array) with the poster's
 * credentials; counts them and tracks their incidents. */
void                hg_sim_post_alert_async (HgSim               *self,
                                             JsonNode            *alerts,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
JsonNode           *hg_sim_post_alert_finish (HgSim              *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* A new alert body for a demo patient, keyed to this run:
 * dedup_key "sim-RUN/@dedup". */
JsonObject         *hg_sim_alert_new        (HgSim               *self,
                                             const char          *type,
                                             const char          *patient_id,
                                             const char          *dedup,
                                             const char          *message);

/* --- Incidents -------------------------------------------------------- */

/* Remembers the latest state of an incident this run made or touched;
 * the summary covers exactly these. */
void                hg_sim_track            (HgSim               *self,
                                             JsonObject          *incident);
JsonObject         *hg_sim_lookup           (HgSim               *self,
                                             gint64               id);
/* Prints the timeline entries the server wrote by itself (reminders,
 * escalations, handovers) that have not been printed yet, and tracks the
 * incident. */
void                hg_sim_note_incident    (HgSim               *self,
                                             JsonObject          *incident);
/* "#3 Arrhythmia (critical, P001, Cardiology 204A)" */
char               *hg_sim_describe         (JsonObject          *incident);
/* "S01 Dr. Sofia Rossi", or "nobody" */
char               *hg_sim_describe_assignee (JsonObject         *incident);
/* The time member @name in milliseconds, 0 when null. */
gint64              hg_sim_time_member      (JsonObject          *object,
                                             const char          *name);

/* Polls the tracked incidents that are not resolved and prints what the
 * server does to them by itself, until the run ends. */
void                hg_sim_watch            (HgSim               *self);

/* --- Staff responding (hg-sim-respond.c) ------------------------------ */

typedef enum {
  HG_SIM_UNTIL_ACKNOWLEDGED,
  HG_SIM_UNTIL_STARTED,
  HG_SIM_UNTIL_RESOLVED,
} HgSimUntil;

typedef struct {
  HgSimUntil  until;
  /* Scenario seconds before each step. */
  double      ack_after;
  double      start_after;
  double      resolve_after;
  const char *start_reason;
  const char *resolve_note;
  /* Wall-clock seconds: more than 0 means the assignee does not answer,
   * and the response waits up to this long for the server to escalate
   * it to someone else, who then answers. */
  double      wait_for_escalation;
} HgSimResponse;

/* Whoever holds incident @id answers it, step by step, as the person
 * holding it at each step (signing in as them): acknowledge, start,
 * resolve. A step refused because the incident moved meanwhile is tried
 * again as its new holder. */
void                hg_sim_respond_async    (HgSim               *self,
                                             gint64               id,
                                             const HgSimResponse *response,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean            hg_sim_respond_finish   (HgSim               *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* --- Scenarios -------------------------------------------------------- */

void                hg_sim_cardiac_start    (HgSim               *sim);
void                hg_sim_multi_start      (HgSim               *sim);
void                hg_sim_vitals_start     (HgSim               *sim);
void                hg_sim_shift_start      (HgSim               *sim);
void                hg_sim_load_start       (HgSim               *sim);

G_END_DECLS
