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
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hgatspi as ui  # noqa: E402
from hgatspi import Failure, log, wait_for  # noqa: E402


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
    print("ok - signed in through AT-SPI and saw 'Live'")


if __name__ == "__main__":
    main()
