/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Helpers shared by the hg-json*.c files (defined in hg-json-members.c):
 * typed members of request bodies and the small writers the model mappings
 * build on. Not part of the library's API. */

#include <json-glib/json-glib.h>
#include "hg-models.h"

G_BEGIN_DECLS

/* Request helpers */
JsonNode   *hg_json_get_member           (JsonObject  *object,
                                          const char  *member);
gboolean    hg_json_holds_value_of_type  (JsonNode    *node,
                                          GType        type);
void        hg_json_prefix_error         (GError     **error,
                                          const char  *prefix);

/* Typed members that the public helpers do not cover */
gboolean    hg_json_take_string          (JsonObject  *object,
                                          const char  *member,
                                          gsize        max_len,
                                          char       **field,
                                          GError     **error);
gboolean    hg_json_take_uint            (JsonObject  *object,
                                          const char  *member,
                                          guint       *field,
                                          GError     **error);
gboolean    hg_json_take_time            (JsonObject  *object,
                                          const char  *member,
                                          gint64      *field,
                                          GError     **error);
gboolean    hg_json_get_object           (JsonObject  *object,
                                          const char  *member,
                                          JsonObject **out,
                                          GError     **error);
gboolean    hg_json_get_array            (JsonObject  *object,
                                          const char  *member,
                                          JsonArray  **out,
                                          GError     **error);
void        hg_json_set_enum_error       (GError     **error,
                                          const char  *member);
gboolean    hg_json_take_severity        (JsonObject  *object,
                                          const char  *member,
                                          HgSeverity  *field,
                                          gboolean    *found,
                                          GError     **error);
gboolean    hg_json_take_status          (JsonObject        *object,
                                          const char        *member,
                                          HgIncidentStatus  *field,
                                          gboolean          *found,
                                          GError           **error);
gboolean    hg_json_take_role            (JsonObject  *object,
                                          const char  *member,
                                          HgRole      *field,
                                          gboolean    *found,
                                          GError     **error);
gboolean    hg_json_take_phase           (JsonObject    *object,
                                          const char    *member,
                                          HgAlertPhase  *field,
                                          gboolean      *found,
                                          GError       **error);
gboolean    hg_json_take_optional_status (JsonObject  *object,
                                          const char  *member,
                                          int         *field,
                                          GError     **error);

/* Writing */
void        hg_json_set_string_or_null   (JsonObject  *object,
                                          const char  *member,
                                          const char  *value);
void        hg_json_set_time_or_null     (JsonObject  *object,
                                          const char  *member,
                                          gint64       ms);
void        hg_json_set_id_or_null       (JsonObject  *object,
                                          const char  *member,
                                          gint64       id);
JsonNode   *hg_json_node_from_object     (JsonObject  *object);
JsonObject *hg_json_location_object      (const char  *ward,
                                          const char  *room,
                                          const char  *bed);
void        hg_json_set_person_or_null   (JsonObject  *object,
                                          const char  *member,
                                          const char  *id,
                                          const char  *name);
gboolean    hg_json_take_person          (JsonObject  *object,
                                          const char  *member,
                                          char       **id,
                                          char       **name,
                                          GError     **error);

G_END_DECLS
