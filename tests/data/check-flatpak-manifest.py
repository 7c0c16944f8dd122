#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest against the app's own files.

  check-flatpak-manifest.py --manifest flatpak/org.healthguard.Ops.json \\
      --desktop org.healthguard.Ops.desktop \\
      --metainfo org.healthguard.Ops.metainfo.xml --command healthguard

Checks that the manifest is valid JSON; that its app id is the id of the
.desktop file (its file name), of the metainfo and of the desktop file's
icon; that its command is the program the .desktop file runs and the
metainfo provides; that it asks for the permissions the app needs (and no
X11 socket besides the fallback); and that every module exists: local
sources (type dir, or a path) point to what is there, and the -D options of a
meson module are options its meson_options.txt declares.

Standard library only. Prints every problem found and exits 1 if any.
"""

import argparse
import configparser
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

REQUIRED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
    "--socket=pulseaudio",
    "--talk-name=org.freedesktop.secrets",
]
# With --socket=x11 the app would use X11 even under Wayland.
FORBIDDEN_FINISH_ARGS = ["--socket=x11"]

# Options meson itself has, which no meson_options.txt declares.
MESON_BUILTIN_OPTIONS = {
    "auto_features", "backend", "bindir", "buildtype", "datadir", "debug",
    "default_library", "includedir", "libdir", "libexecdir", "localedir",
    "localstatedir", "mandir", "optimization", "prefix", "sbindir",
    "sharedstatedir", "strip", "sysconfdir", "unity", "warning_level",
    "werror", "wrap_mode",
}

problems = []


def problem(message):
    problems.append(message)


def desktop_id(path):
    name = os.path.basename(path)
    for suffix in (".desktop.in", ".desktop"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def read_desktop(path):
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    with open(path, encoding="utf-8") as f:
        parser.read_file(f)
    if not parser.has_section("Desktop Entry"):
        problem("%s: no [Desktop Entry] group" % path)
        return {}
    return dict(parser["Desktop Entry"])


def meson_options(source_dir):
    """The option names declared by source_dir's meson_options.txt."""
    names = set()
    for file_name in ("meson_options.txt", "meson.options"):
        path = os.path.join(source_dir, file_name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                names |= set(re.findall(r"option\s*\(\s*'([^']+)'", f.read()))
    return names


def check_sources(module_name, module, base_dir):
    sources = module.get("sources")
    if not isinstance(sources, list) or not sources:
        problem("module %s: no sources" % module_name)
        return []
    source_dirs = []
    for source in sources:
        if isinstance(source, str):
            # A file of sources, relative to the manifest.
            if not os.path.isfile(os.path.join(base_dir, source)):
                problem("module %s: sources file %s does not exist" % (module_name, source))
            continue
        kind = source.get("type")
        path = source.get("path")
        if kind == "dir":
            if not isinstance(path, str):
                problem("module %s: a dir source without a path" % module_name)
                continue
            full = os.path.normpath(os.path.join(base_dir, path))
            if not os.path.isdir(full):
                problem("module %s: dir source %s (%s) is not a directory" % (module_name, path, full))
                continue
            source_dirs.append(full)
        elif isinstance(path, str):
            # file, patch, script, archive...: a local file.
            if not os.path.isfile(os.path.join(base_dir, path)):
                problem("module %s: %s source %s does not exist" % (module_name, kind, path))
    return source_dirs


def check_meson_options(module_name, module, source_dirs):
    if module.get("buildsystem") != "meson":
        return
    for source_dir in source_dirs:
        if not os.path.isfile(os.path.join(source_dir, "meson.build")):
            problem("module %s: %s has no meson.build" % (module_name, source_dir))
            continue
        declared = meson_options(source_dir)
        for opt in module.get("config-opts", []):
            match = re.match(r"-D([A-Za-z0-9_.:-]+)=", opt)
            if not match:
                continue
            name = match.group(1)
            if name in declared or name in MESON_BUILTIN_OPTIONS:
                continue
            if re.match(r"^(b|c|cpp)_", name) or ":" in name:
                continue
            problem("module %s: %s sets option '%s', which %s does not declare"
                    % (module_name, opt, name, os.path.join(source_dir, "meson_options.txt")))


def check_modules(modules, base_dir, where="manifest"):
    if not isinstance(modules, list) or not modules:
        problem("%s: no modules" % where)
        return
    for index, module in enumerate(modules):
        if isinstance(module, str):
            # A module in a file of its own, relative to this manifest.
            path = os.path.join(base_dir, module)
            if not os.path.isfile(path):
                problem("%s: module file %s does not exist" % (where, module))
                continue
            with open(path, encoding="utf-8") as f:
                try:
                    module = json.load(f)
                except ValueError as e:
                    problem("%s: %s" % (path, e))
                    continue
            check_modules([module], os.path.dirname(path), path)
            continue
        if not isinstance(module, dict):
            problem("%s: module %d is neither an object nor a file name" % (where, index))
            continue
        name = module.get("name")
        if not isinstance(name, str) or not name:
            problem("%s: module %d has no name" % (where, index))
            name = "#%d" % index
        source_dirs = check_sources(name, module, base_dir)
        check_meson_options(name, module, source_dirs)
        if "modules" in module:
            check_modules(module["modules"], base_dir, "module %s" % name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--desktop", required=True, help="the app's .desktop file")
    parser.add_argument("--metainfo", required=True, help="the app's metainfo file")
    parser.add_argument("--command", required=True, help="the program the app installs")
    args = parser.parse_args()

    try:
        with open(args.manifest, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: %s" % (args.manifest, e), file=sys.stderr)
        return 1
    if not isinstance(manifest, dict):
        print("%s: not a JSON object" % args.manifest, file=sys.stderr)
        return 1
    base_dir = os.path.dirname(os.path.abspath(args.manifest))

    app_id = desktop_id(args.desktop)
    desktop = read_desktop(args.desktop)
    metainfo = ET.parse(args.metainfo).getroot()

    manifest_id = manifest.get("app-id", manifest.get("id"))
    if manifest_id != app_id:
        problem("app-id is %r, the .desktop file's id is %r" % (manifest_id, app_id))
    if metainfo.findtext("id") != app_id:
        problem("the metainfo's id is %r, not %r" % (metainfo.findtext("id"), app_id))
    if desktop.get("Icon") != app_id:
        problem("the .desktop file's Icon is %r, not %r" % (desktop.get("Icon"), app_id))
    launchables = [l.text for l in metainfo.findall("launchable") if l.get("type") == "desktop-id"]
    if launchables != [app_id + ".desktop"]:
        problem("the metainfo launches %r, not [%r]" % (launchables, app_id + ".desktop"))

    command = manifest.get("command")
    if command != args.command:
        problem("command is %r, the app installs %r" % (command, args.command))
    exec_line = desktop.get("Exec", "").split()
    if not exec_line or exec_line[0] != args.command:
        problem("the .desktop file runs %r, the app installs %r" % (desktop.get("Exec"), args.command))
    binaries = [b.text for b in metainfo.findall("provides/binary")]
    if args.command not in binaries:
        problem("the metainfo provides binaries %r, not %r" % (binaries, args.command))

    for key, expected in (("runtime", "org.gnome.Platform"), ("sdk", "org.gnome.Sdk")):
        if manifest.get(key) != expected:
            problem("%s is %r, not %r" % (key, manifest.get(key), expected))
    if not isinstance(manifest.get("runtime-version"), str):
        problem("runtime-version must be a string such as \"49\"")

    finish_args = manifest.get("finish-args", [])
    for arg in REQUIRED_FINISH_ARGS:
        if arg not in finish_args:
            problem("finish-args lack %s" % arg)
    for arg in FORBIDDEN_FINISH_ARGS:
        if arg in finish_args:
            problem("finish-args have %s" % arg)

    check_modules(manifest.get("modules"), base_dir)

    for message in problems:
        print("%s: %s" % (args.manifest, message), file=sys.stderr)
    if problems:
        return 1
    print("%s: ok (%s, runs %s)" % (args.manifest, app_id, args.command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
