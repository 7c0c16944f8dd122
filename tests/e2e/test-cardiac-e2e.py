#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A cardiac emergency, end to end, with the real programs.

Starts healthguard-server --demo, then two healthguard apps side by side:
the Cardiology ward station, signed in as the charge nurse N01, and the
cardiologist Dr. Sofia Rossi's workstation (S01). Both are driven only
through AT-SPI, the way a screen reader user works them. healthguard-sim
cardiac-emergency makes patient P001's monitor alarm; the incident goes
to S01. Then, step by step, the station's board must follow:

  1. both sign in and say "Live";
  2. the alarm: S01's popup sounds with an Acknowledge button, the
     station's board shows the incident Assigned to Dr. Sofia Rossi;
  3. S01 acknowledges from the popup: the popups go, the station says
     Acknowledged;
  4. S01 opens the incident and starts it: the station says In progress;
  5. the server is killed (SIGKILL) and restarted on the same database:
     both apps lose "Live", get it back, and still say In progress;
  6. S01 writes a note: the station, opening the incident, shows it;
  7. S01 resolves it with a closing note: it leaves the station's board;
  8. the server's own record agrees: resolved by S01, acknowledged by
     S01, the note kept.

The workstation has an X screen of its own (a second Xvfb). Screenshots
of both screens at each step go to --screenshots.
"""

import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hgatspi as ui  # noqa: E402
from hgatspi import Failure, log, wait_for  # noqa: E402

TITLE = "Arrhythmia"
CARDIOLOGIST = "Dr. Sofia Rossi"
NOTE = "Amiodarone 300 mg IV given; defibrillator pads on"
CLOSING = "Sinus rhythm restored; transferred to the coronary care unit"


class Run:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.server = ui.Server(args.server, os.path.join(workdir, "e2e.db"))
        self.station_proc = None
        self.doctor_proc = None
        self.station = None
        self.doctor = None
        self.doctor_display = None
        self.step = 0

    def shot(self, what):
        self.step += 1
        if self.args.screenshots:
            os.makedirs(self.args.screenshots, exist_ok=True)
            base = os.path.join(self.args.screenshots, "%02d-%s" % (self.step, what))
            ui.screenshot(base + "-station.png")
            if self.doctor_display is not None:
                ui.screenshot(base + "-workstation.png", self.doctor_display)

    def station_status(self, status, timeout=ui.TIMEOUT):
        """Waits for the station's board row of the incident to say
        @status (None: for the row to be gone)."""
        def check():
            row = ui.board_row(self.station, TITLE)
            if status is None:
                return True if row is None else None
            return row if row is not None and row[1] == status else None
        what = ("the station's board to say '%s' for %s" % (status, TITLE)
                if status else "%s to leave the station's board" % TITLE)
        try:
            return wait_for(what, check, timeout)
        except Failure:
            log("the station's board: %r" % ui.board_rows(self.station))
            raise

    def both_live(self):
        for app, who in ((self.station, "station"), (self.doctor, "workstation")):
            wait_for("the %s to say 'Live'" % who,
                     lambda: ui.find_live_label(app))

    def connection_labels(self):
        """The two apps' connection labels, found while they say Live: the
        same labels say what the link is doing from then on."""
        labels = []
        for app, who in ((self.station, "station"), (self.doctor, "workstation")):
            label = ui.find_live_label(app)
            # The way wait_links() finds it again must find it now.
            if ui.text_of(ui.find_connection_label(app)) != "Live":
                raise ui.Failure("the %s's connection label is not found outside lists" % who)
            labels.append((label, who))
        return labels

    def wait_links(self, labels, live):
        # Only the labels are read while the apps reconnect and rebuild
        # their boards: GTK 4.8's AT-SPI code can crash when a client walks
        # list rows as they are replaced (a NULL object path). Should a
        # label stop answering (once, under load, its reads kept failing
        # while the app showed "Offline since"), it is found again
        # without walking any list.
        apps = {"station": self.station, "workstation": self.doctor}
        for i, (label, who) in enumerate(labels):
            held = [label]

            def text():
                value = ui.text_of(held[0])
                if value is None:
                    found = ui.find_connection_label(apps[who])
                    if found is not None:
                        held[0] = found
                        value = ui.text_of(found)
                return value

            if live:
                wait_for("the %s to say 'Live'" % who, lambda: text() == "Live")
            else:
                wait_for("the %s to notice the server is gone" % who,
                         lambda: text() not in (None, "Live"))
            labels[i] = (held[0], who)

    def start(self):
        url = self.server.start()
        log("server on " + url)
        self.station_proc = ui.start_app(
            self.args.app, os.path.join(self.workdir, "station"),
            app_id="org.healthguard.Ops.Station",
            settings={"mode": "'station'", "station-ward": "'Cardiology'"})
        # The workstation is another screen, as at the doctor's desk.
        self.doctor_display = ui.Display()
        self.doctor_proc = ui.start_app(
            self.args.app, os.path.join(self.workdir, "workstation"),
            display=self.doctor_display)
        self.station = ui.wait_for_app(self.station_proc, "the ward station")
        self.doctor = ui.wait_for_app(self.doctor_proc, "the cardiologist's workstation")

    def run(self):
        self.start()

        # 1. Sign in, each at their own screen.
        ui.sign_in(self.station, self.server.url, "N01")
        ui.sign_in(self.doctor, self.server.url, "S01")
        self.both_live()
        wait_for("the station's title to name the Cardiology station",
                 lambda: ui.window(self.station, "Station · Cardiology"))
        log("1. both signed in and live")
        self.shot("signed-in")

        # 2. The monitor alarms; the incident reaches the cardiologist.
        sim = subprocess.run(
            [self.args.sim, "cardiac-emergency", "--server", self.server.url,
             "--speed", "10"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=60)
        if sim.returncode != 0:
            raise Failure("healthguard-sim cardiac-emergency failed:\n" + sim.stdout)
        row = self.station_status("Assigned")
        if row[4] != CARDIOLOGIST or row[0] != "Critical":
            raise Failure("the station shows %r, not Critical and %s"
                          % (row, CARDIOLOGIST))
        popup = wait_for("the alarm popup on the workstation",
                         lambda: ui.window(self.doctor, "Alarms"))
        wait_for("the popup's row for %s" % TITLE,
                 lambda: ui.find(popup, "panel", "High priority: " + TITLE))
        wait_for("the station's alarm popup",
                 lambda: ui.window(self.station, "Alarms"))
        log("2. the alarm: popups up, the station says Assigned to " + CARDIOLOGIST)
        self.shot("alarm")

        # 3. Acknowledge from the popup.
        ui.press(popup, "Acknowledge")
        self.station_status("Acknowledged")
        wait_for("the workstation's popup to go",
                 lambda: ui.window(self.doctor, "Alarms") is None)
        wait_for("the station's popup to go",
                 lambda: ui.window(self.station, "Alarms") is None)
        log("3. acknowledged from the popup; the station follows")
        self.shot("acknowledged")

        # 4. Open the incident and start on it.
        wait_for("the workstation's board row",
                 lambda: ui.board_row(self.doctor, TITLE))
        ui.select_board_row(self.doctor, 0)
        ui.press(self.doctor, "Start")
        self.station_status("In progress")
        log("4. started; the station says In progress")
        self.shot("in-progress")

        # 5. The server dies mid-scenario and comes back.
        labels = self.connection_labels()
        self.server.kill()
        self.wait_links(labels, live=False)
        log("5. server killed; both apps say they are not live: %s"
            % ", ".join(repr(ui.text_of(label)) for label, _ in labels))
        self.shot("server-down")
        self.server.start()
        self.wait_links(labels, live=True)
        # Live comes once the list is fetched again; the boards then make
        # their rows again, and say they are busy until they have.
        for app, who in ((self.station, "station"), (self.doctor, "workstation")):
            wait_for("the %s's board to settle after Live" % who,
                     lambda app=app: ui.board_settled(app))
        self.station_status("In progress")
        log("5. server restarted; both apps live again, still In progress")
        self.shot("server-back")

        # 6. A note, seen at the station.
        ui.type_into(self.doctor, "New note", NOTE)
        ui.press(self.doctor, "Add Note")
        wait_for("the note in the workstation's incident",
                 lambda: ui.find_text(self.doctor, "^" + NOTE))
        ui.select_board_row(self.station, 0)
        wait_for("the note in the station's incident",
                 lambda: ui.find_text(self.station, "^" + NOTE))
        log("6. the note is on both screens")
        self.shot("note")

        # 7. Resolve with a closing note.
        ui.press(self.doctor, "Resolve…")
        dialog = wait_for("the Resolve Incident dialog",
                          lambda: ui.window(self.doctor, "Resolve Incident?"))
        ui.type_into(dialog, "Closing note", CLOSING)
        self.shot("resolve-dialog")
        ui.press(dialog, "Resolve")
        self.station_status(None)
        log("7. resolved; it left the station's board")
        self.shot("resolved")

        # 8. What the server kept.
        token = ui.api_token(self.server.url, "N01")
        listing = ui.api(self.server.url, "GET", "/api/v1/incidents?status=resolved", token)
        items = listing.get("items", listing.get("incidents", []))
        if len(items) != 1:
            raise Failure("the server holds %d resolved incidents, not 1" % len(items))
        incident = ui.api(self.server.url, "GET", "/api/v1/incidents/%d" % items[0]["id"], token)
        incident = incident.get("incident", incident)
        notes = [note.get("text") for note in incident.get("notes", [])]
        if ((incident.get("assignee") or {}).get("id") != "S01"
                or incident.get("status") != "resolved"
                or not incident.get("acknowledged_at")
                or not incident.get("started_at")
                or NOTE not in notes):
            raise Failure("the server's record is %r" % incident)
        log("8. the server's record agrees")

    def stop(self):
        for proc in (self.station_proc, self.doctor_proc):
            ui.stop_process(proc)
        if self.server.proc is not None:
            self.server.stop()
        if self.doctor_display is not None:
            self.doctor_display.stop()
        statuses = [p.returncode for p in (self.station_proc, self.doctor_proc) if p]
        if any(status not in (0, -15) for status in statuses):
            raise Failure("an app exited with status %r" % statuses)
        for proc, who in ((self.station_proc, "station"), (self.doctor_proc, "workstation")):
            if proc is not None and ui.app_warnings(proc):
                raise Failure("the %s logged warnings: %s"
                              % (who, "; ".join(ui.app_warnings(proc))))

    def dump(self):
        for app, who in ((self.station, "station"), (self.doctor, "workstation")):
            if app is not None and self.args.screenshots:
                path = os.path.join(self.args.screenshots, "failed-%s-tree.txt" % who)
                ui.dump(app, path)
                log("the %s's accessible tree: %s" % (who, path))
        try:
            self.shot("failed")
        except Failure:
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", required=True, help="the healthguard program")
    parser.add_argument("--server", required=True, help="the healthguard-server program")
    parser.add_argument("--sim", required=True, help="the healthguard-sim program")
    parser.add_argument("--screenshots", help="where the step screenshots go")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("no X display: run under build-aux/with-keyring inside xvfb-run")
    with tempfile.TemporaryDirectory(prefix="hg-e2e-") as workdir:
        run = Run(args, workdir)
        try:
            run.run()
        except Failure as failure:
            run.dump()
            run.stop()
            sys.exit("FAIL: %s" % failure)
        run.stop()
    print("ok - a cardiac emergency, from the monitor to resolved, on two apps")


if __name__ == "__main__":
    main()
