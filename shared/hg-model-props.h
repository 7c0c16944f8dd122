/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The property-table machinery shared by the model types (hg-model-props.c).
 * Not part of the library's API. */

#include <glib-object.h>

G_BEGIN_DECLS

/* Every plain field of a model is a read-only property. Rather than five
 * hand-written get_property switches and a field-by-field update, each type
 * describes its plain fields once (name, kind, offset) and the generic code
 * below installs, reads, compares and copies them: a field added to the
 * struct and to its table cannot be forgotten in one of those places. */

typedef enum {
  FIELD_STRING,
  FIELD_INT64,
  FIELD_UINT,
  FIELD_BOOLEAN,
  FIELD_ENUM,
} FieldKind;

typedef struct {
  const char *name;
  FieldKind   kind;
  gsize       offset;
  GType     (*enum_type) (void);
} FieldSpec;

#define PARAM_FLAGS (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

#define STRING(T, f, n)   { n, FIELD_STRING,  G_STRUCT_OFFSET (T, f), NULL }
#define INT64(T, f, n)    { n, FIELD_INT64,   G_STRUCT_OFFSET (T, f), NULL }
#define UINT(T, f, n)     { n, FIELD_UINT,    G_STRUCT_OFFSET (T, f), NULL }
#define BOOLEAN(T, f, n)  { n, FIELD_BOOLEAN, G_STRUCT_OFFSET (T, f), NULL }
#define ENUM(T, f, n, g)  { n, FIELD_ENUM,    G_STRUCT_OFFSET (T, f), g }

void     hg_model_install_fields     (const FieldSpec *specs,
                                      guint            n_specs,
                                      GParamSpec     **properties);
gboolean hg_model_field_equal        (gconstpointer    a,
                                      gconstpointer    b,
                                      const FieldSpec *spec);
void     hg_model_copy_field         (gpointer         dest,
                                      gconstpointer    src,
                                      const FieldSpec *spec);
gboolean hg_model_fields_equal       (gconstpointer    a,
                                      gconstpointer    b,
                                      const FieldSpec *specs,
                                      guint            n_specs);
gboolean hg_model_get_table_property (GObject         *object,
                                      const FieldSpec *specs,
                                      guint            n_specs,
                                      guint            prop_id,
                                      GValue          *value);

/* The tables of the types whose contents HgIncident compares
 * (hg-patient.c, hg-staff.c). */
extern const FieldSpec hg_patient_fields[];
extern const guint     hg_patient_n_fields;
extern const FieldSpec hg_staff_fields[];
extern const guint     hg_staff_n_fields;

G_END_DECLS
