#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Signs in to the real app through AT-SPI, as a screen reader user would.

Starts healthguard-server --demo on a fresh database and port 0, starts the
healthguard app, finds it on the AT-SPI desktop, types the server, staff id
and password into the text fields named "Server", "Staff ID" and
"Password", presses the "Sign In" push button through its Action
interface, and waits for the connection label to say "Live".

Then the notification bell, as a keyboard and screen reader user meets it:
the push button that takes the focus must be named once ("Notifications,
none unread", not those words twice over), and its name must follow the
count when an incident is given to the signed-in charge nurse.

Runs inside build-aux/with-keyring (Xvfb, a private D-Bus session, the
AT-SPI bus); the environment (GSETTINGS_SCHEMA_DIR, ...) comes from
tests/app/meson.build.
"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hgatspi as ui  # noqa: E402
from hgatspi import Failure, log, wait_for  # noqa: E402


def focusable_bells(app):
    """Every focusable push button the bell exposes: the one the focus goes
    to is what a screen reader reads."""
    bells = []
    for node in ui.walk(app, leaves=ui.LIST_ROLES):
        if ui.role(node) != "push button" or not (ui.name(node) or "").startswith("Notifications"):
            continue
        try:
            if node.get_state_set().contains(ui.Atspi.StateType.FOCUSABLE):
                bells.append(node)
        except ui.GLib.Error:
            continue
    return bells


def bell_named(app, wanted):
    bells = focusable_bells(app)
    if len(bells) > 1:
        raise Failure("the bell has %d focusable buttons: %s"
                      % (len(bells), [ui.name(b) for b in bells]))
    return bells[0] if bells and ui.name(bells[0]) == wanted else None


def wait_for_bell(app, wanted):
    try:
        return wait_for("one focusable bell named '%s'" % wanted, lambda: bell_named(app, wanted))
    except Failure as failure:
        every = [(ui.role(n), ui.name(n)) for n in ui.walk(app, leaves=ui.LIST_ROLES)
                 if (ui.name(n) or "").startswith("Notifications")]
        raise Failure("%s; the bell's focusable buttons: %s; everything named so: %s"
                      % (failure, [ui.name(b) for b in focusable_bells(app)], every)) from None


def check_bell(app, url):
    bell = wait_for_bell(app, "Notifications, none unread")
    log("the bell is one focusable push button: " + ui.name(bell))
    # Given by the demo's administrator: nobody is told of their own act.
    token = ui.api_token(url, "A01")
    answer = ui.api(url, "POST", "/api/v1/alerts", token,
                 {"type": "PATIENT_FALL", "patient_id": "P002"})
    incident = answer["incident"]
    if (incident.get("assignee") or {}).get("id") != "N01":
        ui.api(url, "POST", "/api/v1/incidents/%d/reassign" % incident["id"], token,
            {"staff_id": "N01"})
    wait_for_bell(app, "Notifications, 1 unread")
    log("the bell follows the count: Notifications, 1 unread")


def run(args):
    with tempfile.TemporaryDirectory(prefix="hg-e2e-") as workdir:
        server = ui.Server(args.server, os.path.join(workdir, "e2e.db"))
        app_proc = None
        try:
            url = server.start()
            log("server on " + url)
            app_proc = ui.start_app(args.app, os.path.join(workdir, "app"))
            app = ui.wait_for_app(app_proc, "the app")
            log("found the app: " + (ui.name(app) or "?"))
            ui.sign_in(app, url, "N01")
            log("pressed Sign In")
            wait_for("the connection label to say 'Live'",
                     lambda: ui.find_live_label(app) if app_proc.poll() is None else None)
            log("the app says Live")
            check_bell(app, url)
        finally:
            ui.stop_process(app_proc)
            if server.proc is not None:
                server.stop()
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
    print("ok - signed in through AT-SPI, saw 'Live', and the bell is named once and follows its count")


if __name__ == "__main__":
    main()
