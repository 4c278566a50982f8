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
from django_otp import DEVICE_ID_SESSION_KEY
from tandem.accounts.tests.builders import verified_session_device
from tandem.conftest import staff_seated
staff = staff_seated()
device = verified_session_device(staff.perpetrator_worker)
sessions = []
for _ in range({WRITERS}):
    client = Client()
    client.force_login(staff.perpetrator_worker)
    # Both factors passed, as the suite's own sign-ins are (conftest).
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    sessions.append(client.cookies["sessionid"].value)
print(json.dumps(sessions))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str], Path]]:
    """A Tandem server on its own SQLite file: its address, the writers' sessions, the file.
    What it logs is in server.log beside the file."""
    tmp_path = tmp_path_factory.mktemp("concurrency")
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


def post_at_once(
    address: str, writers: list[tuple[str, bytes, dict[str, str]]]
) -> list[tuple[int, str]]:
    """Each writer's POST of its referral (session, body, extra headers), all at one moment:
    the status each got, and the start of any error's body."""
    start = threading.Barrier(len(writers))
    answers: list[tuple[int, str]] = [(0, "")] * len(writers)

    def write(number: int, session: str, body: bytes, headers: dict[str, str]) -> None:
        request = urllib.request.Request(
            f"{address}/api/v1/cases/",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Cookie": f"sessionid={session}; csrftoken={CSRF_TOKEN}",
                "X-CSRFToken": CSRF_TOKEN,
                **headers,
            },
        )
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answers[number] = (response.status, "")
        except urllib.error.HTTPError as error:
            answers[number] = (error.code, error.read().decode(errors="replace")[:300])

    threads = [
        threading.Thread(target=write, args=(number, *writer))
        for number, writer in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def cases_named(database: Path, first_name: str) -> int:
    with sqlite3.connect(database) as check:
        query = "SELECT count(*) FROM cases_perpetratorcase WHERE first_name = ?"
        return int(check.execute(query, [first_name]).fetchone()[0])


def errors_logged(database: Path) -> list[str]:
    log = (database.parent / "server.log").read_text()
    return [line for line in log.splitlines() if "Error" in line]


def test_referrals_posted_at_the_same_moment_all_land(
    server: tuple[str, list[str], Path],
) -> None:
    address, sessions, database = server

    answers = post_at_once(
        address, [(sessions[number], referral(number), {}) for number in range(WRITERS)]
    )

    assert answers == [(201, "")] * WRITERS, errors_logged(database)
    assert [cases_named(database, f"Writer{number}") for number in range(WRITERS)] == [1] * WRITERS
    with sqlite3.connect(database) as check:
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_one_referral_sent_four_times_at_once_under_one_key_lands_once(
    server: tuple[str, list[str], Path],
) -> None:
    """The repeats wait for the first and are given its answer (tandem.idempotency)."""
    address, sessions, database = server
    body = referral(99)

    answers = post_at_once(
        address, [(sessions[0], body, {"Idempotency-Key": "sent-four-times"})] * 4
    )

    assert answers == [(201, "")] * 4, errors_logged(database)
    assert cases_named(database, "Writer99") == 1
