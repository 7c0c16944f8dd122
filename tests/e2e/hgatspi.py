# SPDX-License-Identifier: GPL-3.0-or-later
"""What the end-to-end tests share: the real server started on a fresh
database, the real app started with settings of its own, and the AT-SPI
view of it that a screen reader has (find by role and name, type, press),
plus screenshots of the X display through GStreamer.

Debian's /usr/bin/python3 with python3-gi, gir1.2-atspi-2.0 and
gir1.2-gstreamer-1.0; run inside build-aux/with-keyring under xvfb-run.
"""

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request

import gi

gi.require_version("Atspi", "2.0")
gi.require_version("Gst", "1.0")
from gi.repository import Atspi, GLib, Gst  # noqa: E402

TIMEOUT = 30.0
LISTENING = re.compile(r"Listening on (https?://[^/\s]+)/?")
DEMO_PASSWORD = "password123"


class Failure(Exception):
    pass


def log(message):
    print("# " + message, flush=True)


class Server:
    """healthguard-server --demo on @database; start() again after kill()
    reuses the database and the first start's port."""

    def __init__(self, binary, database, extra_args=()):
        self.binary = binary
        self.database = database
        self.extra_args = list(extra_args)
        self.proc = None
        self.url = None

    def start(self):
        listen = self.url.split("://", 1)[1] if self.url else "127.0.0.1:0"
        self.proc = subprocess.Popen(
            [self.binary, "--demo", "--database", self.database,
             "--listen", listen] + self.extra_args,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        lines = queue.Queue()
        proc = self.proc

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
                self.url = match.group(1)
                return self.url
        raise Failure("the server did not say 'Listening on' within %d s"
                      % TIMEOUT)

    def kill(self):
        """SIGKILL: no shutdown of any kind, as a power cut would."""
        self.proc.kill()
        self.proc.wait()

    def stop(self):
        stop_process(self.proc)


def api(url, method, path, token=None, body=None):
    """One request to the server's REST API at @url; its JSON answer."""
    request = urllib.request.Request(url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
        return json.load(answer)


def api_token(url, staff_id, station="e2e-check"):
    """A session token of a demo staff member, signed in through the API."""
    return api(url, "POST", "/api/v1/auth/login",
               body={"staff_id": staff_id, "password": DEMO_PASSWORD, "station": station})["token"]


def stop_process(proc):
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Display:
    """A screen of its own (Xvfb), as a second workstation has: each app
    draws on its own, and a screenshot shows one person's view."""

    def __init__(self, size="1280x800x24"):
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", size,
             "-nolisten", "tcp"], pass_fds=(write,),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise Failure("Xvfb did not start (status %s)" % self.proc.wait())
        self.name = ":" + number

    def stop(self):
        stop_process(self.proc)


def settings_keyfile(config_home, values):
    """GSettings' keyfile backend reads XDG_CONFIG_HOME/glib-2.0/settings/
    keyfile: @values (key -> GVariant text) under the app's schema path."""
    directory = os.path.join(config_home, "glib-2.0", "settings")
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "keyfile"), "w") as keyfile:
        keyfile.write("[org/healthguard/Ops]\n")
        for key, value in values.items():
            keyfile.write("%s=%s\n" % (key, value))


def start_app(binary, home, app_id=None, settings=None, display=None):
    """The app with its own settings, cache and data under @home, so that
    two of them side by side share nothing but the session and keyring;
    on @display's screen if given."""
    env = dict(os.environ)
    if display is not None:
        env["DISPLAY"] = display.name
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        env[name] = os.path.join(home, name.lower())
        os.makedirs(env[name], exist_ok=True)
    env["GSETTINGS_BACKEND"] = "keyfile"
    settings_keyfile(env["XDG_CONFIG_HOME"], settings or {})
    # As in use: a critical logged by a library under the app (GTK 4.8's
    # AT-SPI code logged one, once, right after a reconnection under
    # AddressSanitizer) is not fatal. The app's own warnings and criticals
    # still fail the test: app_warnings() reads them from its log.
    env["G_DEBUG"] = ",".join(flag for flag in env.get("G_DEBUG", "").split(",")
                              if flag and not flag.startswith("fatal"))
    args = [binary]
    if app_id is not None:
        args.append("--gapplication-app-id=" + app_id)
    proc = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True,
                            errors="replace")
    proc.log = []

    def pump():
        for line in proc.stderr:
            proc.log.append(line)
            sys.stderr.write("app %d: %s" % (proc.pid, line))

    threading.Thread(target=pump, daemon=True).start()
    return proc


OWN_WARNING = re.compile(r"HealthGuard[\w-]*-(WARNING|CRITICAL) \*\*")


def app_warnings(proc):
    """The warnings and criticals the app logged in its own domains."""
    return [line.strip() for line in getattr(proc, "log", [])
            if OWN_WARNING.search(line)]


def walk(node, depth=0, leaves=()):
    """Every accessible under node (node included), depth first; never
    under a node whose role is in leaves."""
    if node is None or depth > 60:
        return
    yield node
    if leaves and role(node) in leaves:
        return
    try:
        count = node.get_child_count()
    except GLib.Error:
        return
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except GLib.Error:
            continue
        yield from walk(child, depth + 1, leaves)


def role(node):
    try:
        return node.get_role_name()
    except GLib.Error:
        return None


def name(node):
    try:
        return node.get_name()
    except GLib.Error:
        return None


def has_interface(node, interface):
    try:
        return interface in node.get_interfaces()
    except GLib.Error:
        return False


def text_of(node):
    if node is None or not has_interface(node, "Text"):
        return None
    try:
        return Atspi.Text.get_text(node, 0, Atspi.Text.get_character_count(node))
    except GLib.Error:
        return None


def showing(node):
    # GTK 4.8 sets VISIBLE (not SHOWING) on what is on screen: a hidden
    # page of a stack, or a closed window, is not VISIBLE.
    try:
        return node.get_state_set().contains(Atspi.StateType.VISIBLE)
    except GLib.Error:
        return False


def wait_for(what, find, timeout=TIMEOUT):
    """Polls find() until it returns something; fails naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = find()
        if found is not None and found is not False:
            return found
        time.sleep(0.3)
    raise Failure("timed out after %d s waiting for %s" % (timeout, what))


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except GLib.Error:
            continue
    return None


def wait_for_app(proc, what):
    def found():
        if proc.poll() is not None:
            raise Failure("%s exited (status %d) before it showed" % (what, proc.returncode))
        return find_app(proc.pid)
    return wait_for("%s (pid %d) on the AT-SPI desktop" % (what, proc.pid), found)


def find(root, wanted_role, wanted_name, only_showing=False):
    for node in walk(root):
        if role(node) == wanted_role and name(node) == wanted_name:
            if not only_showing or showing(node):
                return node
    return None


def find_text(root, pattern, only_showing=True):
    """The first label whose name or text matches the regular expression."""
    regex = re.compile(pattern)
    for node in walk(root):
        if role(node) not in ("label", "static"):
            continue
        for value in (name(node), text_of(node)):
            if value and regex.search(value):
                if not only_showing or showing(node):
                    return node
    return None


CONNECTION_TEXTS = re.compile(r"^(Live|Connecting…|Reconnecting…|Offline( since .*)?)$")
LIST_ROLES = ("list", "list box", "table", "tree table", "grid", "tree")


def find_connection_label(app):
    """The label that says how the link to the server is, whatever it
    says, found without walking any list or table: their rows may be
    being replaced, and GTK 4.8's AT-SPI code can crash when a client
    walks rows as they go (a NULL object path)."""
    for node in walk(app, leaves=LIST_ROLES):
        if role(node) == "label" and CONNECTION_TEXTS.match(text_of(node) or ""):
            return node
    return None


def find_live_label(app):
    # The label's accessible name is its text, or the "Connection to the
    # server" description it has while it was never updated: look at both.
    for node in walk(app):
        if role(node) == "label" and "Live" in (name(node), text_of(node)):
            return node
    return None


def find_field(root, field):
    for node in walk(root):
        if (role(node) in ("text", "entry") and name(node) == field
                and showing(node) and has_interface(node, "EditableText")):
            return node
    return None


def type_into(root, field, text):
    node = wait_for("a text field named '%s'" % field,
                    lambda: find_field(root, field))
    if not has_interface(node, "EditableText"):
        raise Failure("the '%s' field has no EditableText interface" % field)
    Atspi.EditableText.set_text_contents(node, text)
    if text_of(node) != text and field != "Password":
        raise Failure("the '%s' field says %r after typing %r"
                      % (field, text_of(node), text))


def press(root, button_name, timeout=TIMEOUT):
    node = wait_for("a push button named '%s'" % button_name,
                    lambda: find(root, "push button", button_name,
                                 only_showing=True), timeout)
    if not has_interface(node, "Action") or Atspi.Action.get_n_actions(node) < 1:
        raise Failure("the '%s' button has no action" % button_name)
    Atspi.Action.do_action(node, 0)


def board_rows(app):
    """The rows of the first board ("Active incidents") as lists of the
    cells' texts: severity, status, type, patient, assignee, age,
    escalation."""
    table = find(app, "tree table", "Active incidents")
    if table is None:
        return []
    rows = []
    for node in walk(table):
        if role(node) != "table row":
            continue
        cells = []
        for cell in walk(node):
            if role(cell) == "table cell":
                texts = [text_of(n) for n in walk(cell) if role(n) == "label"]
                cells.append(" ".join(t for t in texts if t))
        if cells:
            rows.append(cells)
    return rows


def board_settled(app):
    """The first board's table once it is not busy: after its list changes
    the app marks it BUSY until its rows are made again. Reads the table's
    state only, never its rows, which may be going."""
    table = find(app, "tree table", "Active incidents")
    if table is None:
        return None
    try:
        busy = table.get_state_set().contains(Atspi.StateType.BUSY)
    except GLib.Error:
        return None
    return None if busy else table


def board_row(app, title):
    """The first board row whose type column says @title, or None."""
    for cells in board_rows(app):
        if len(cells) > 2 and cells[2] == title:
            return cells
    return None


def select_board_row(app, index=0):
    """Selects a row of the first board, as arrow keys would."""
    table = find(app, "tree table", "Active incidents")
    lists = [n for n in walk(table) if role(n) == "list"
             and has_interface(n, "Selection")] if table else []
    if not lists:
        raise Failure("the board has no selectable list")
    if not Atspi.Selection.select_child(lists[0], index):
        raise Failure("the board's row %d could not be selected" % index)


def window(app, title):
    """The app's top-level window (frame or dialog) named @title."""
    for i in range(app.get_child_count()):
        child = app.get_child_at_index(i)
        if child is not None and name(child) == title and showing(child):
            return child
    return None


def sign_in(app, url, staff_id):
    type_into(app, "Server", url)
    type_into(app, "Staff ID", staff_id)
    type_into(app, "Password", DEMO_PASSWORD)
    press(app, "Sign In")


def dump(root, path):
    """The tree as a screen reader sees it, for the log of a failure."""
    with open(path, "w") as out:
        for node in walk(root):
            out.write("%s [%s] %r %r\n" % ("" if showing(node) else "(hidden)",
                                            role(node), name(node),
                                            text_of(node)))


def screenshot(path, display=None):
    """An X screen (@display's, else $DISPLAY's) as a PNG, read the way a
    screen recorder does."""
    Gst.init(None)
    pipeline = Gst.parse_launch(
        "ximagesrc display-name=\"%s\" use-damage=false num-buffers=1 "
        "! videoconvert ! pngenc ! filesink location=\"%s\""
        % (display.name if display else os.environ["DISPLAY"], path))
    pipeline.set_state(Gst.State.PLAYING)
    message = pipeline.get_bus().timed_pop_filtered(
        10 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if message is None or message.type != Gst.MessageType.EOS:
        raise Failure("could not save the screenshot %s" % path)
    log("screenshot " + path)
