/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hg-enum-types.h"
#include "hg-models-private.h"
#include "hg-model-props.h"

/* HgPatient */

const FieldSpec hg_patient_fields[] = {
  STRING (HgPatient, id, "id"),
  STRING (HgPatient, name, "name"),
  STRING (HgPatient, ward, "ward"),
  STRING (HgPatient, room, "room"),
  STRING (HgPatient, bed, "bed"),
};
const guint hg_patient_n_fields = G_N_ELEMENTS (hg_patient_fields);

#define PATIENT_N_PROPS (G_N_ELEMENTS (hg_patient_fields) + 1)
static GParamSpec *patient_properties[PATIENT_N_PROPS];

G_DEFINE_FINAL_TYPE (HgPatient, hg_patient, G_TYPE_OBJECT)

static void
hg_patient_finalize (GObject *object)
{
  HgPatient *self = HG_PATIENT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->ward, g_free);
  g_clear_pointer (&self->room, g_free);
  g_clear_pointer (&self->bed, g_free);

  G_OBJECT_CLASS (hg_patient_parent_class)->finalize (object);
}

static void
hg_patient_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  if (!hg_model_get_table_property (object, hg_patient_fields, G_N_ELEMENTS (hg_patient_fields), prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
hg_patient_class_init (HgPatientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hg_patient_finalize;
  object_class->get_property = hg_patient_get_property;

  hg_model_install_fields (hg_patient_fields, G_N_ELEMENTS (hg_patient_fields), patient_properties);
  g_object_class_install_properties (object_class, PATIENT_N_PROPS, patient_properties);
}

static void
hg_patient_init (HgPatient *self)
{
}

HgPatient *
hg_patient_new (const char *id)
{
  HgPatient *self = g_object_new (HG_TYPE_PATIENT, NULL);

  self->id = g_strdup (id);
  return self;
}

const char *
hg_patient_get_id (HgPatient *self)
{
  g_return_val_if_fail (HG_IS_PATIENT (self), NULL);
  return self->id;
}

const char *
hg_patient_get_name (HgPatient *self)
{
  g_return_val_if_fail (HG_IS_PATIENT (self), NULL);
  return self->name;
}

const char *
hg_patient_get_ward (HgPatient *self)
{
  g_return_val_if_fail (HG_IS_PATIENT (self), NULL);
  return self->ward;
}

const char *
hg_patient_get_room (HgPatient *self)
{
  g_return_val_if_fail (HG_IS_PATIENT (self), NULL);
  return self->room;
}

const char *
hg_patient_get_bed (HgPatient *self)
{
  g_return_val_if_fail (HG_IS_PATIENT (self), NULL);
  return self->bed;
}
