/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "HealthGuard-App"

#include "config.h"

#include <glib/gi18n.h>

#include "hg-chart.h"

#define AXIS_GAP     8     /* between the axis labels and the plot */
#define MIN_SLOT     6     /* the narrowest a bar's slot may be, px */
#define NAT_SLOT     32
#define BAR_FILL     0.7   /* the share of its slot a bar fills */
#define Y_TICKS      4     /* about this many steps up the value axis */

struct _HgChart {
  GtkWidget  parent_instance;

  char      *title;
  GArray    *values;   /* guint */
  GStrv      labels;   /* as many as values, or NULL */
};

G_DEFINE_FINAL_TYPE (HgChart, hg_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
hg_chart_new (void)
{
  return g_object_new (HG_TYPE_CHART, NULL);
}

static guint
value_at (HgChart *self,
          guint    index)
{
  return g_array_index (self->values, guint, index);
}

static const char *
label_at (HgChart *self,
          guint    index)
{
  return self->labels != NULL ? self->labels[index] : "";
}

/* --- What it says to assistive technologies ------------------------------ */

char *
hg_chart_dup_description (HgChart *self)
{
  guint total;
  guint peak = 0;

  g_return_val_if_fail (HG_IS_CHART (self), NULL);

  total = hg_chart_get_total (self);
  for (guint i = 1; i < self->values->len; i++)
    if (value_at (self, i) > value_at (self, peak))
      peak = i;

  if (self->values->len == 0)
    /* Translators: %s is the chart's title */
    return g_strdup_printf (_("%s: no data yet"), self->title ?: "");
  if (total == 0)
    /* Translators: %s is the chart's title */
    return g_strdup_printf (_("%s: none"), self->title ?: "");
  /* Translators: "Incidents per hour, last 24 hours: 42 in total, peak 7 at 14:00" */
  return g_strdup_printf (_("%s: %u in total, peak %u at %s"), self->title ?: "",
                          total, value_at (self, peak), label_at (self, peak));
}

static void
update_accessible (HgChart *self)
{
  g_autofree char *description = hg_chart_dup_description (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title ?: "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Whole pixels for crisp lines, without libm (coordinates are >= 0). */
static inline float
snap (float v)
{
  return (float) (gint) (v + 0.5f);
}

/* --- Geometry ------------------------------------------------------------ */

typedef struct {
  float left, top, width, height;   /* the plot area */
  float slot;                        /* one bar's share of the width */
  guint y_top;                       /* the value at the top of the plot */
  guint y_step;                      /* between two lines of the grid */
  guint label_every;                 /* a slot label every this many slots */
} Geometry;

/* 1, 2 or 5 times a power of ten, at least @x. */
static guint
nice_step (double x)
{
  double power = 1;

  while (power * 10 <= x)
    power *= 10;
  if (x <= power)
    return (guint) power;
  if (x <= 2 * power)
    return (guint) (2 * power);
  if (x <= 5 * power)
    return (guint) (5 * power);
  return (guint) (10 * power);
}

static void
text_size (GtkWidget  *widget,
           const char *text,
           int        *width,
           int        *height)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);

  pango_layout_get_pixel_size (layout, width, height);
}

static void
compute_geometry (HgChart  *self,
                  Geometry *g)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  guint max = 0;
  int axis_w, line_h, label_w = 0;
  g_autofree char *top_text = NULL;

  for (guint i = 0; i < self->values->len; i++)
    max = MAX (max, value_at (self, i));
  g->y_step = nice_step (MAX ((double) max / Y_TICKS, 1));
  g->y_top = g->y_step * MAX ((max + g->y_step - 1) / g->y_step, 1);
  if (g->y_step == 1)
    g->y_top = MAX (g->y_top, Y_TICKS);
  top_text = g_strdup_printf ("%u", g->y_top);
  text_size (widget, top_text, &axis_w, &line_h);
  for (guint i = 0; self->labels != NULL && i < self->values->len; i++)
    {
      int lw, lh;

      text_size (widget, self->labels[i], &lw, &lh);
      label_w = MAX (label_w, lw);
    }

  g->left = axis_w + AXIS_GAP;
  g->top = line_h / 2.0f;
  g->width = MAX (w - g->left - label_w / 2.0f, 1);
  g->height = MAX (h - g->top - line_h - AXIS_GAP / 2.0f, 1);
  g->slot = self->values->len > 0 ? g->width / self->values->len : g->width;
  g->label_every = MAX ((guint) ((label_w + 2 * AXIS_GAP) / MAX (g->slot, 1)) + 1, 1);
}

/* --- Drawing ------------------------------------------------------------- */

static void
draw_text (GtkWidget   *widget,
           GtkSnapshot *snapshot,
           const char  *text,
           float        x,
           float        y,
           float        x_align,
           const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int tw, th;

  pango_layout_get_pixel_size (layout, &tw, &th);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (snap (MAX (x - tw * x_align, 0)), snap (MAX (y, 0))));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
colors (HgChart *self,
        GdkRGBA *fg,
        GdkRGBA *bar)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, fg);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", bar))
    gdk_rgba_parse (bar, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
draw_grid (HgChart        *self,
           GtkSnapshot    *snapshot,
           const Geometry *g,
           const GdkRGBA  *fg)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkRGBA line = *fg, text = *fg;
  int th;

  line.alpha = 0.15f;
  text.alpha = 0.75f;
  text_size (widget, "0", NULL, &th);
  for (guint v = 0; v <= g->y_top; v += g->y_step)
    {
      float y = snap (g->top + g->height - g->height * v / g->y_top);
      g_autofree char *value = g_strdup_printf ("%u", v);

      gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (g->left, y, g->width, 1));
      draw_text (widget, snapshot, value, g->left - AXIS_GAP, y - th / 2.0f, 1.0f, &text);
    }
  /* Counted from the last slot, so that the newest one always has its label. */
  for (guint i = 0; self->labels != NULL && i < self->values->len; i++)
    if ((self->values->len - 1 - i) % g->label_every == 0)
      draw_text (widget, snapshot, self->labels[i], g->left + g->slot * (i + 0.5f),
                 g->top + g->height + AXIS_GAP / 2.0f, 0.5f, &text);
}

static void
draw_bars (HgChart        *self,
           GtkSnapshot    *snapshot,
           const Geometry *g,
           const GdkRGBA  *color)
{
  float bar_w = MAX (g->slot * BAR_FILL, 1);
  float radius = MIN (3.0f, bar_w / 2);

  for (guint i = 0; i < self->values->len; i++)
    {
      float bar_h = g->height * value_at (self, i) / g->y_top;
      graphene_rect_t rect;
      GskRoundedRect rounded;

      if (value_at (self, i) == 0)
        continue;
      rect = GRAPHENE_RECT_INIT (g->left + g->slot * i + (g->slot - bar_w) / 2,
                                 g->top + g->height - bar_h, bar_w, bar_h);
      gsk_rounded_rect_init (&rounded, &rect,
                             &GRAPHENE_SIZE_INIT (radius, MIN (radius, bar_h)),
                             &GRAPHENE_SIZE_INIT (radius, MIN (radius, bar_h)),
                             &GRAPHENE_SIZE_INIT (0, 0), &GRAPHENE_SIZE_INIT (0, 0));
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, color, &rect);
      gtk_snapshot_pop (snapshot);
    }
}

static void
hg_chart_snapshot (GtkWidget   *widget,
                   GtkSnapshot *snapshot)
{
  HgChart *self = HG_CHART (widget);
  GdkRGBA fg, bar;
  Geometry g;

  colors (self, &fg, &bar);
  compute_geometry (self, &g);
  draw_grid (self, snapshot, &g, &fg);
  draw_bars (self, snapshot, &g, &bar);
}

static void
hg_chart_measure (GtkWidget      *widget,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural,
                  int            *minimum_baseline,
                  int            *natural_baseline)
{
  HgChart *self = HG_CHART (widget);
  guint n = MAX (self->values->len, 24);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 48 + n * MIN_SLOT;
      *natural = 48 + n * NAT_SLOT;
    }
  else
    {
      *minimum = 140;
      *natural = 220;
    }
}

static gboolean
hg_chart_query_tooltip (GtkWidget  *widget,
                        int         x,
                        int         y,
                        gboolean    keyboard,
                        GtkTooltip *tooltip)
{
  HgChart *self = HG_CHART (widget);
  g_autofree char *text = NULL;
  Geometry g;
  guint i;

  if (self->values->len == 0 || keyboard)
    return FALSE;
  compute_geometry (self, &g);
  if (x < g.left || x >= g.left + g.width)
    return FALSE;
  i = MIN ((guint) ((x - g.left) / g.slot), self->values->len - 1);
  /* Translators: a bar's tooltip, "14:00: 7" */
  text = g_strdup_printf (_("%s: %u"), label_at (self, i), value_at (self, i));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* --- API and GObject ----------------------------------------------------- */

const char *
hg_chart_get_title (HgChart *self)
{
  g_return_val_if_fail (HG_IS_CHART (self), NULL);
  return self->title;
}

void
hg_chart_set_title (HgChart    *self,
                    const char *title)
{
  g_return_if_fail (HG_IS_CHART (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
hg_chart_set_data (HgChart            *self,
                   const guint        *values,
                   const char * const *labels,
                   guint               n_values)
{
  g_return_if_fail (HG_IS_CHART (self));
  g_return_if_fail (values != NULL || n_values == 0);

  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, n_values);
  g_clear_pointer (&self->labels, g_strfreev);
  if (labels != NULL)
    {
      self->labels = g_new0 (char *, n_values + 1);
      for (guint i = 0; i < n_values; i++)
        self->labels[i] = g_strdup (labels[i] ?: "");
    }
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
hg_chart_get_n_bars (HgChart *self)
{
  g_return_val_if_fail (HG_IS_CHART (self), 0);
  return self->values->len;
}

guint
hg_chart_get_value (HgChart *self,
                    guint    index)
{
  g_return_val_if_fail (HG_IS_CHART (self), 0);
  g_return_val_if_fail (index < self->values->len, 0);
  return value_at (self, index);
}

guint
hg_chart_get_total (HgChart *self)
{
  guint total = 0;

  g_return_val_if_fail (HG_IS_CHART (self), 0);
  for (guint i = 0; i < self->values->len; i++)
    total += value_at (self, i);
  return total;
}

static void
hg_chart_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  HgChart *self = HG_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_chart_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  HgChart *self = HG_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      hg_chart_set_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hg_chart_finalize (GObject *object)
{
  HgChart *self = HG_CHART (object);

  g_free (self->title);
  g_array_unref (self->values);
  g_strfreev (self->labels);
  G_OBJECT_CLASS (hg_chart_parent_class)->finalize (object);
}

static void
hg_chart_class_init (HgChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = hg_chart_finalize;
  object_class->get_property = hg_chart_get_property;
  object_class->set_property = hg_chart_set_property;
  widget_class->snapshot = hg_chart_snapshot;
  widget_class->measure = hg_chart_measure;
  widget_class->query_tooltip = hg_chart_query_tooltip;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "hgchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
hg_chart_init (HgChart *self)
{
  self->values = g_array_new (FALSE, TRUE, sizeof (guint));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  update_accessible (self);
}
