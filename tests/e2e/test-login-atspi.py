#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Signs in to the real app through AT-SPI, as a screen reader user would.

Starts healthguard-server --demo on a fresh database and port 0, starts the
healthguard app, finds it on the AT-SPI desktop, types the server, staff id
and password into the text fields named "Server", "Staff ID" and
"Password", presses the "Sign In" push button through its Action
interface, and waits for the connection label to say "Live".

Runs inside build-aux/with-keyring (Xvfb, a private D-Bus session, the
AT-SPI bus); the environment (GSETTINGS_SCHEMA_DIR, ...) comes from
tests/app/meson.build.
"""

import argparse
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

TIMEOUT = 30.0
LISTENING = re.compile(r"Listening on (https?://[^/\s]+)/?")


class Failure(Exception):
    pass


def log(message):
    print("# " + message, flush=True)


def start_server(binary, workdir):
    """The server on 127.0.0.1:0; returns (process, base URL)."""
    proc = subprocess.Popen(
        [binary, "--demo", "--database", os.path.join(workdir, "e2e.db"),
         "--listen", "127.0.0.1:0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()

    def pump():
        for line in proc.stderr:
            lines.put(line)
            sys.stderr.write("server: " + line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        if line is None:
            raise Failure("the server exited (status %s) before it said "
                          "'Listening on'" % proc.wait())
        match = LISTENING.search(line)
        if match:
            return proc, match.group(1)
    raise Failure("the server did not say 'Listening on' within %d s" % TIMEOUT)


def walk(node, depth=0):
    """Every accessible under node (node included), depth first."""
    if node is None or depth > 60:
        return
    yield node
    try:
        count = node.get_child_count()
    except gi.repository.GLib.Error:
        return
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except gi.repository.GLib.Error:
            continue
        yield from walk(child, depth + 1)


def role(node):
    try:
        return node.get_role_name()
    except gi.repository.GLib.Error:
        return None


def name(node):
    try:
        return node.get_name()
    except gi.repository.GLib.Error:
        return None


def has_interface(node, interface):
    try:
        return interface in node.get_interfaces()
    except gi.repository.GLib.Error:
        return False


def text_of(node):
    if node is None or not has_interface(node, "Text"):
        return None
    try:
        return Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node))
    except gi.repository.GLib.Error:
        return None


def wait_for(what, find, timeout=TIMEOUT):
    """Polls find() until it returns something; fails naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = find()
        if found is not None:
            return found
        time.sleep(0.2)
    raise Failure("timed out after %d s waiting for %s" % (timeout, what))


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except gi.repository.GLib.Error:
            continue
    return None


def find(app, wanted_role, wanted_name):
    for node in walk(app):
        if role(node) == wanted_role and name(node) == wanted_name:
            return node
    return None


def find_live_label(app):
    # The label's accessible name is its text, or the "Connection to the
    # server" description it has while it was never updated: look at both.
    for node in walk(app):
        if role(node) == "label" and "Live" in (name(node), text_of(node)):
            return node
    return None


def type_into(app, field, text):
    node = wait_for("a text field named '%s'" % field,
                    lambda: find(app, "text", field))
    if not has_interface(node, "EditableText"):
        raise Failure("the '%s' field has no EditableText interface" % field)
    Atspi.EditableText.set_text_contents(node, text)
    if text_of(node) != text and field != "Password":
        raise Failure("the '%s' field says %r after typing %r"
                      % (field, text_of(node), text))


def press(app, button_name):
    def find_button():
        for node in walk(app):
            if role(node) == "push button" and name(node) == button_name:
                return node
        return None

    node = wait_for("a push button named '%s'" % button_name, find_button)
    if not has_interface(node, "Action") or Atspi.Action.get_n_actions(node) < 1:
        raise Failure("the '%s' button has no action" % button_name)
    Atspi.Action.do_action(node, 0)


def run(args):
    with tempfile.TemporaryDirectory(prefix="hg-e2e-") as workdir:
        server, url = start_server(args.server, workdir)
        app_proc = None
        try:
            log("server on " + url)
            env = dict(os.environ)
            env.setdefault("GSETTINGS_BACKEND", "memory")
            app_proc = subprocess.Popen([args.app], env=env)
            app = wait_for("the app (pid %d) on the AT-SPI desktop" % app_proc.pid,
                           lambda: app_proc.poll() is None and find_app(app_proc.pid) or None)
            log("found the app: " + (name(app) or "?"))
            type_into(app, "Server", url)
            type_into(app, "Staff ID", "N01")
            type_into(app, "Password", "password123")
            press(app, "Sign In")
            log("pressed Sign In")
            wait_for("the connection label to say 'Live'",
                     lambda: find_live_label(app) if app_proc.poll() is None else None)
            log("the app says Live")
        finally:
            for proc in (app_proc, server):
                if proc is not None and proc.poll() is None:
                    proc.terminate()
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
        if app_proc.returncode not in (0, -15):
            raise Failure("the app exited with status %d" % app_proc.returncode)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", required=True, help="the healthguard program")
    parser.add_argument("--server", default=os.environ.get("HG_SERVER_BINARY"),
                        help="the healthguard-server program (default: $HG_SERVER_BINARY)")
    args = parser.parse_args()
    if not args.server:
        sys.exit("no server: pass --server or set HG_SERVER_BINARY")
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        sys.exit("no display: run under build-aux/with-keyring inside xvfb-run")
    try:
        run(args)
    except Failure as failure:
        sys.exit("FAIL: %s" % failure)
    print("ok - signed in through AT-SPI and saw 'Live'")


if __name__ == "__main__":
    main()
