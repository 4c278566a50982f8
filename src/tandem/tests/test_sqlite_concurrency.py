"""SQLite, the embedded default, serves several people writing at once without a 500 (issue
12): eight referrals posted at the same moment all land.

The server runs as it would be deployed (`tandem runserver`, a thread per request) on a SQLite
file of its own, configured only through DATABASE_URL: the test database is in memory, where
neither the journal mode nor the locking is that of a file."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking only"),
    pytest.mark.sqlite_pass_only,
]

WRITERS = 8
CSRF_TOKEN = "concurrencytestcsrftoken00000000"

# Run in the server's environment: the staff of `staffed_service`, and one signed-in session
# for each writer (as each would have signed in from their own browser).
SEAT_STAFF = f"""
import json
import django
django.setup()
from django.test import Client
from tandem.conftest import staff_seated
staff = staff_seated()
sessions = []
for _ in range({WRITERS}):
    client = Client()
    client.force_login(staff.perpetrator_worker)
    sessions.append(client.cookies["sessionid"].value)
print(json.dumps(sessions))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, list[str], Path]]:
    """A Tandem server on its own SQLite file: its address, the writers' sessions, the file.
    What it logs is in server.log beside the file."""
    database = tmp_path / "tandem.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "TANDEM_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
    }
    tandem = [sys.executable, "-m", "tandem"]
    subprocess.run([*tandem, "migrate", "--verbosity", "0"], env=env, check=True)
    seated = subprocess.run(
        [sys.executable, "-c", SEAT_STAFF], env=env, check=True, capture_output=True, text=True
    )
    sessions = json.loads(seated.stdout.strip().splitlines()[-1])
    port = free_port()
    running = subprocess.Popen(
        [*tandem, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "server.log").open("w"),
    )
    address = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{address}/sign-in/", timeout=1)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        yield address, sessions, database
    finally:
        running.terminate()
        running.wait(timeout=10)


def referral(number: int) -> bytes:
    return json.dumps(
        {
            "first_name": f"Writer{number}",
            "last_name": "Synthetic",
            "date_of_birth": "1985-03-01",
            "received_at": "2026-11-20T10:14:00Z",
            "source": "agency",
            "survivors": [
                {
                    "first_name": f"Survivor{number}{position}",
                    "last_name": "Example",
                    "relationship": "family_member",
                    "phone": f"07700 9{number:02d}{position:03d}",
                }
                for position in range(3)
            ],
        }
    ).encode()


def test_referrals_posted_at_the_same_moment_all_land(
    server: tuple[str, list[str], Path],
) -> None:
    address, sessions, database = server
    start = threading.Barrier(WRITERS)
    answers: dict[int, tuple[int, str]] = {}

    def write(number: int) -> None:
        request = urllib.request.Request(
            f"{address}/api/v1/cases/",
            data=referral(number),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Cookie": f"sessionid={sessions[number]}; csrftoken={CSRF_TOKEN}",
                "X-CSRFToken": CSRF_TOKEN,
            },
        )
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answers[number] = (response.status, "")
        except urllib.error.HTTPError as error:
            answers[number] = (error.code, error.read().decode(errors="replace")[:300])

    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()

    log = (database.parent / "server.log").read_text()
    errors = [line for line in log.splitlines() if "Error" in line]
    assert answers == {n: (201, "") for n in range(WRITERS)}, errors
    with sqlite3.connect(database) as check:
        landed = check.execute("SELECT count(*) FROM cases_perpetratorcase").fetchone()[0]
        journal = check.execute("PRAGMA journal_mode").fetchone()[0]
    assert (landed, journal) == (WRITERS, "wal")
