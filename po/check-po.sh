#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The i18n suite's checks (po/meson.build runs them):
#
#   check-po.sh complete LANG.po            msgfmt accepts it (formats, header,
#                                           plural forms) and nothing in it is
#                                           untranslated or fuzzy
#   check-po.sh current SRCDIR LANG.po      every string the sources mark today
#                                           is translated in LANG.po (so a new
#                                           string fails here until
#                                           `meson compile healthguard-update-po`
#                                           and a translation)
#   check-po.sh potfiles SRCDIR             every file under app/ and data/ that
#                                           marks strings is in po/POTFILES.in
set -u
LC_ALL=C
export LC_ALL

# msgfmt's statistics line, "N translated messages[, N fuzzy ...][, N untranslated ...]."
complete () {
  stats=$(msgfmt --check-format --check-header --check-domain --statistics -o /dev/null "$1" 2>&1)
  status=$?
  printf '%s: %s\n' "$1" "$stats"
  if [ $status -ne 0 ]; then
    exit 1
  fi
  case $stats in
    *fuzzy*|*untranslated*)
      # Which ones, so that the log says what to translate.
      msgattrib --untranslated --no-obsolete "$1"
      msgattrib --only-fuzzy --no-obsolete "$1"
      exit 1 ;;
  esac
}

mode=$1
shift
case $mode in
  complete)
    complete "$1" ;;
  current)
    srcdir=$1 po=$2
    tmp=$(mktemp -d) || exit 1
    trap 'rm -rf "$tmp"' EXIT
    # The keywords and flags of meson's i18n 'glib' preset.
    (cd "$srcdir" && xgettext --from-code=UTF-8 --add-comments \
        --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
        --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
        --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
        --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
        --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
        --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
        --files-from=po/POTFILES.in -o "$tmp/current.pot") || exit 1
    msgmerge --quiet --no-fuzzy-matching -o "$tmp/$(basename "$po")" "$po" "$tmp/current.pot" || exit 1
    complete "$tmp/$(basename "$po")" ;;
  potfiles)
    srcdir=$1
    cd "$srcdir" || exit 1
    missing=0
    for file in $(grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)[ ]?\("|translatable="yes"' \
                    --include='*.c' --include='*.ui' app; \
                  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null); do
      if ! grep -qxF "$file" po/POTFILES.in; then
        echo "$file marks strings for translation but is not in po/POTFILES.in"
        missing=1
      fi
    done
    while read -r file; do
      case $file in ''|'#'*) continue ;; esac
      if [ ! -f "$file" ]; then
        echo "po/POTFILES.in lists $file, which does not exist"
        missing=1
      fi
    done < po/POTFILES.in
    [ $missing -eq 0 ] && echo "po/POTFILES.in lists every file with translatable strings"
    exit $missing ;;
  *)
    echo "usage: check-po.sh complete LANG.po | current SRCDIR LANG.po | potfiles SRCDIR" >&2
    exit 2 ;;
esac
