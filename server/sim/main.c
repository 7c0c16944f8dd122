/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-Sim"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hg-sim.h"

/* A number option, and whether it was given at all: any value given is
 * checked, whatever it is. */
typedef struct {
  const char *name;
  double      value;
  gboolean    given;
} Number;

static char *opt_server;
static char *opt_key;
static gboolean opt_new_key;
static char *opt_staff;
static char *opt_password;
static char *opt_admin;
static char *opt_admin_password;
static char *opt_responder_password;
static gboolean opt_respond;
static char *opt_patient;
static Number opt_speed = { "--speed" };
static Number opt_patients = { "--patients" };
static Number opt_rate = { "--rate" };
static Number opt_duration = { "--duration" };
static Number opt_escalation_wait = { "--escalation-wait" };
static char *opt_leaving;
static gboolean opt_version;

static gboolean
parse_number (const char  *option_name,
              const char  *value,
              gpointer     user_data,
              GError     **error)
{
  Number *numbers[] = { &opt_speed, &opt_patients, &opt_rate, &opt_duration, &opt_escalation_wait };
  char *end = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      if (!g_str_equal (option_name, numbers[i]->name))
        continue;
      numbers[i]->value = g_ascii_strtod (value, &end);
      if (*value == '\0' || *end != '\0' || !isfinite (numbers[i]->value))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s needs a number, not “%s”", option_name,
                       value);
          return FALSE;
        }
      numbers[i]->given = TRUE;
      return TRUE;
    }
  g_assert_not_reached ();
}

static const GOptionEntry entries[] = {
  { "server", 's', 0, G_OPTION_ARG_STRING, &opt_server,
    "The server's address (default " HG_SIM_DEFAULT_SERVER ")", "URL" },
  { "key", 'k', 0, G_OPTION_ARG_STRING, &opt_key,
    "Post alerts and vitals with this integration key", "KEY" },
  { "new-key", 0, 0, G_OPTION_ARG_NONE, &opt_new_key,
    "Have --admin make a key for the run, and revoke it after", NULL },
  { "staff", 'u', 0, G_OPTION_ARG_STRING, &opt_staff,
    "Staff member who reads and supervises (default N01)", "ID" },
  { "password", 'p', 0, G_OPTION_ARG_STRING, &opt_password,
    "Password of --staff (default: the demo's)", "PASSWORD" },
  { "admin", 0, 0, G_OPTION_ARG_STRING, &opt_admin, "Admin who makes the --new-key (default A01)", "ID" },
  { "admin-password", 0, 0, G_OPTION_ARG_STRING, &opt_admin_password,
    "Password of --admin (default: the demo's)", "PASSWORD" },
  { "responder-password", 0, 0, G_OPTION_ARG_STRING, &opt_responder_password,
    "Password of the staff who answer (default: the demo's)", "PASSWORD" },
  { "speed", 0, 0, G_OPTION_ARG_CALLBACK, parse_number,
    "Play the scenario N times faster (default 1)",
    "N" },
  { "respond", 'r', 0, G_OPTION_ARG_NONE, &opt_respond,
    "cardiac-emergency, vital-signs: staff answer the incidents", NULL },
  { "patient", 0, 0, G_OPTION_ARG_STRING, &opt_patient,
    "cardiac-emergency, vital-signs: the patient (P001–P008)", "ID" },
  { "patients", 0, 0, G_OPTION_ARG_CALLBACK, parse_number,
    "vital-signs: patients observed (1 to 8, default 4)", "N" },
  { "escalation-wait", 0, 0, G_OPTION_ARG_CALLBACK, parse_number,
    "multi-patient: how long to wait for an escalation (180)",
    "SECONDS" },
  { "leaving", 0, 0, G_OPTION_ARG_STRING, &opt_leaving,
    "shift: the nurse whose shift ends (default N02)", "ID" },
  { "rate", 0, 0, G_OPTION_ARG_CALLBACK, parse_number, "load: alerts a second (default 10)", "N" },
  { "duration", 0, 0, G_OPTION_ARG_CALLBACK, parse_number, "load: seconds to run (default 30)", "SECONDS" },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, "Print the version and exit", NULL },
  { NULL }
};

/* Which scenario-specific options a scenario takes. */
enum {
  TAKES_RESPOND = 1 << 0,
  TAKES_PATIENT = 1 << 1,
  TAKES_PATIENTS = 1 << 2,
  TAKES_ESCALATION_WAIT = 1 << 3,
  TAKES_LEAVING = 1 << 4,
  TAKES_LOAD = 1 << 5,
  TAKES_SPEED = 1 << 6,
};

static const struct {
  const char        *name;
  const char        *summary;
  HgSimScenarioFunc  start;
  guint              takes;
} scenarios[] = {
  { "cardiac-emergency",
    "a monitor alarms: arrhythmia, then cardiac arrest, repeats\n"
    "                     deduplicated; --respond: the cardiologist answers",
    hg_sim_cardiac_start, TAKES_SPEED | TAKES_RESPOND | TAKES_PATIENT },
  { "multi-patient",
    "eight patients in four wards alert at once: routing, load\n"
    "                     balancing, escalation when nobody answers",
    hg_sim_multi_start, TAKES_SPEED | TAKES_ESCALATION_WAIT },
  { "vital-signs",
    "observations for a few patients; one deteriorates until\n"
    "                     NEWS2 calls for an urgent, then an emergency response",
    hg_sim_vitals_start, TAKES_SPEED | TAKES_RESPOND | TAKES_PATIENT | TAKES_PATIENTS },
  { "shift",
    "a nurse's shift ends with incidents open: they are handed\n"
    "                     over to the next shift",
    hg_sim_shift_start, TAKES_SPEED | TAKES_LEAVING },
  { "load",
    "a steady alert load: --rate alerts a second for --duration\n"
    "                     seconds, for demos and benchmarks",
    hg_sim_load_start, TAKES_LOAD },
};

static GOptionContext *
make_context (void)
{
  GOptionContext *context = g_option_context_new ("SCENARIO");
  g_autoptr(GString) summary = g_string_new ("Plays a hospital scenario against a HealthGuard server over\n"
                                             "its API, says what happens as it goes, and ends with a summary.\n\n"
                                             "Scenarios:");

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    g_string_append_printf (summary, "\n  %-18s %s", scenarios[i].name, scenarios[i].summary);
  g_option_context_set_summary (context, summary->str);
  g_option_context_set_description (context,
                                    "The scenarios use the demo hospital (healthguard-server --demo):\n"
                                    "its patients, its staff and their documented password, which the\n"
                                    "options above override. --speed compresses the scenario's own pauses;\n"
                                    "the server's escalation timers keep their pace.\n\n"
                                    "Examples:\n"
                                    "  healthguard-sim cardiac-emergency --respond\n"
                                    "  healthguard-sim multi-patient\n"
                                    "  healthguard-sim vital-signs --respond --speed 10\n"
                                    "  healthguard-sim shift\n"
                                    "  healthguard-sim load --rate 50 --duration 60 --new-key\n\n"
                                    "Exit status: 0 the scenario ran, 1 the server failed or refused it,\n"
                                    "2 bad arguments.");
  g_option_context_add_main_entries (context, entries, NULL);
  return context;
}

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", scenarios[i].name);
  g_printerr ("healthguard-sim: %s\n"
              "Usage: healthguard-sim [OPTION…] SCENARIO\n"
              "Scenarios: %s\n"
              "Run “healthguard-sim --help” for the options.\n",
              message, names->str);
  return HG_SIM_EXIT_USAGE;
}

static int
find_scenario (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    if (g_str_equal (scenarios[i].name, name))
      return i;
  return -1;
}

static gboolean
valid_server (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_str_equal (g_uri_get_scheme (uri), "http") || g_str_equal (g_uri_get_scheme (uri), "https")) &&
         (g_uri_get_path (uri)[0] == '\0' || g_str_equal (g_uri_get_path (uri), "/")) &&
         g_uri_get_query (uri) == NULL;
}

/* A scenario-specific option given to a scenario that does not take it. */
static const char *
misplaced_option (guint takes)
{
  if (opt_speed.given && !(takes & TAKES_SPEED))
    return "--speed";
  if (opt_respond && !(takes & TAKES_RESPOND))
    return "--respond";
  if (opt_patient != NULL && !(takes & TAKES_PATIENT))
    return "--patient";
  if (opt_patients.given && !(takes & TAKES_PATIENTS))
    return "--patients";
  if (opt_escalation_wait.given && !(takes & TAKES_ESCALATION_WAIT))
    return "--escalation-wait";
  if (opt_leaving != NULL && !(takes & TAKES_LEAVING))
    return "--leaving";
  if (opt_rate.given && !(takes & TAKES_LOAD))
    return "--rate";
  if (opt_duration.given && !(takes & TAKES_LOAD))
    return "--duration";
  return NULL;
}

/* Not given, or given and within [@min, @max]. */
static gboolean
in_range (const Number *number,
          double        min,
          double        max)
{
  return !number->given || (number->value >= min && number->value <= max);
}

static int
check_values (void)
{
  if (opt_server != NULL && !valid_server (opt_server))
    return usage_error ("--server needs an http:// or https:// address, such as %s, not “%s”",
                        HG_SIM_DEFAULT_SERVER, opt_server);
  if (opt_key != NULL && opt_new_key)
    return usage_error ("--key and --new-key do not go together");
  if (opt_key != NULL && *opt_key == '\0')
    return usage_error ("--key needs a key");
  if (opt_staff != NULL && *opt_staff == '\0')
    return usage_error ("--staff needs a staff id");
  if (!in_range (&opt_speed, 0.01, 1000))
    return usage_error ("--speed must be a number from 0.01 to 1000");
  if (opt_patient != NULL && hg_sim_demo_patient (opt_patient) == NULL)
    return usage_error ("--patient must be one of the demo hospital's patients, P001 to P008, not “%s”",
                        opt_patient);
  if (!in_range (&opt_patients, 1, 8) || opt_patients.value != floor (opt_patients.value))
    return usage_error ("--patients must be from 1 to 8");
  if (!in_range (&opt_escalation_wait, 1, 86400))
    return usage_error ("--escalation-wait must be a number of seconds from 1 to 86400");
  if (opt_leaving != NULL && *opt_leaving == '\0')
    return usage_error ("--leaving needs a staff id");
  if (!in_range (&opt_rate, 0.01, 100000))
    return usage_error ("--rate must be a number of alerts a second from 0.01 to 100000");
  if (!in_range (&opt_duration, 0.1, 86400))
    return usage_error ("--duration must be a number of seconds from 0.1 to 86400");
  return HG_SIM_EXIT_OK;
}

static void
fill_options (HgSimOptions *options)
{
  options->server = opt_server ? opt_server : HG_SIM_DEFAULT_SERVER;
  options->key = opt_key;
  options->new_key = opt_new_key;
  options->staff_id = opt_staff ? opt_staff : "N01";
  options->password = opt_password ? opt_password : HG_SIM_DEMO_PASSWORD;
  options->admin_id = opt_admin ? opt_admin : "A01";
  options->admin_password = opt_admin_password ? opt_admin_password : HG_SIM_DEMO_PASSWORD;
  options->responder_password = opt_responder_password ? opt_responder_password : HG_SIM_DEMO_PASSWORD;
  options->speed = opt_speed.given ? opt_speed.value : 1.0;
  options->respond = opt_respond;
  options->patient = opt_patient;
  options->patients = opt_patients.given ? (int) opt_patients.value : 4;
  options->rate = opt_rate.given ? opt_rate.value : 10;
  options->duration = opt_duration.given ? opt_duration.value : 30;
  options->escalation_wait = opt_escalation_wait.given ? opt_escalation_wait.value : 180;
  options->leaving = opt_leaving ? opt_leaving : "N02";
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = make_context ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HgSim) sim = NULL;
  HgSimOptions options = { 0 };
  const char *misplaced;
  int scenario;
  int status;

  setlocale (LC_ALL, "");
  /* The commentary is the product: let it reach a pipe line by line. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_set_prgname ("healthguard-sim");

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);
  if (opt_version)
    {
      g_print ("healthguard-sim %s\n", PACKAGE_VERSION);
      return HG_SIM_EXIT_OK;
    }
  if (argc < 2)
    return usage_error ("which scenario?");
  if (argc > 2)
    return usage_error ("one scenario at a time: “%s” is one too many", argv[2]);
  if ((scenario = find_scenario (argv[1])) < 0)
    return usage_error ("unknown scenario “%s”", argv[1]);
  if ((misplaced = misplaced_option (scenarios[scenario].takes)) != NULL)
    return usage_error ("%s does not apply to %s", misplaced, scenarios[scenario].name);
  if ((status = check_values ()) != HG_SIM_EXIT_OK)
    return status;

  fill_options (&options);
  sim = hg_sim_new (scenarios[scenario].name, &options);
  return hg_sim_run (sim, scenarios[scenario].start);
}
