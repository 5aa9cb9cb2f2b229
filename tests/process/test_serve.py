"""`idolq serve` and IDOLQ_SERVER: hot commands run by a warm server, exactly as they would
run in their own process; anything the server cannot take runs in the caller's process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from tests.process.test_startup import PROBE

from idolq import __version__, contract

from conftest import run_idolq


@pytest.fixture
def socket_dir():
    """A short folder for sockets (a Unix socket's path must stay under 108 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="iq", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def start_server(path: Path, cwd: Path | None = None) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "idolq", "serve", str(path), "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=cwd)
    ready = json.loads(process.stdout.readline() or "null")
    assert ready is not None, process.stderr.read()
    contract.ServerDoc.model_validate(ready)
    assert ready == {"socket": str((cwd or Path.cwd()) / path), "pid": process.pid}
    return process


@pytest.fixture
def server(socket_dir):
    path = socket_dir / "s.sock"
    process = start_server(path)
    yield path
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert not path.exists()


def served(server: Path, *args: str, env: dict | None = None, **kwargs):
    return run_idolq(*args, env={"IDOLQ_SERVER": str(server), **(env or {})}, **kwargs)


def local(*args: str, env: dict | None = None, **kwargs):
    return run_idolq(*args, env={"IDOLQ_SERVER": "", **(env or {})}, **kwargs)


def _outcome(run: subprocess.CompletedProcess) -> tuple[int, str, str]:
    return run.returncode, run.stdout, run.stderr


def _client_modules(args: list[str], env: dict, tmp_path: Path) -> set[str]:
    """The modules a client process loaded (read at its exit)."""
    out = tmp_path / "modules.json"
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                            text=True, timeout=60,
                            env={**os.environ, **env, "MODULES_OUT": str(out)})
    assert result.returncode == 0, result.stderr
    return set(json.loads(out.read_text()))


def test_a_workflow_through_the_server_prints_what_it_would_print_alone(server, db_path):
    db = ("--db", str(db_path))
    task = json.loads(served(server, "task", "create", "Ship", "--type", "content", "--tier",
                             "3", *db, "--json").stdout)
    assert task["code"] == "CONTENT-001"
    served(server, "task", "create", "Later", "--type", "lore", "--depends-on", "1", *db)
    for args in [("task", "show", "1", "--json"), ("task", "list"), ("task", "ready", "--json"),
                 ("status", "--json"), ("events", "tail", "-n", "5", "--json"),
                 ("task", "show", "404"), ("task", "show", "404", "--json"),
                 ("task", "create", "x", "--type", "lore", "--priority", "P9", "--json"),
                 ("review", "list", "--json"), ("task", "claim", "--agent", "5", "--json")]:
        assert _outcome(served(server, *args, *db)) == _outcome(local(*args, *db)), args
    for args in [("task", "start", "1"), ("task", "complete", "1")]:
        run = served(server, *args, *db, "--actor", "agent:02", "--json")
        assert run.returncode == 0 and run.stderr == "", run.stderr
    review = json.loads(served(server, "review", "list", "--status", "pending", *db,
                               "--json").stdout)[0]
    approved = served(server, "--db", str(db_path), "review", "approve", str(review["id"]),
                      env={"IDOLQ_ACTOR": "agent:00"})  # options before, actor from the env
    assert approved.returncode == 0, approved.stderr
    again = served(server, "review", "approve", str(review["id"]), *db, "--actor", "agent:00")
    assert again.returncode == 1 and "already" in again.stderr and again.stdout == ""
    shown = json.loads(local("task", "show", "1", *db, "--json").stdout)
    assert shown["status"] == "complete"
    events = [json.loads(line) for line in local("events", "tail", "--all", *db,
                                                 "--json").stdout.splitlines()]
    decided = [e for e in events if e["type"] == "review.approved"]
    assert [e["actor"] for e in decided] == ["agent:00"]
    assert {e["actor"] for e in events if e["type"] == "task.started"} == {"agent:02"}


def test_a_served_client_loads_no_more_than_the_fast_path(server, db_path, tmp_path):
    env = {"IDOLQ_SERVER": str(server), "IDOLQ_DB": str(db_path)}
    modules = _client_modules(["task", "create", "T", "--type", "lore", "--json"], env,
                              tmp_path)
    assert "idolq.cli.remote" in modules
    idolq_modules = {m for m in modules if m.startswith("idolq")}
    assert idolq_modules == {"idolq", "idolq.cli", "idolq.cli.app", "idolq.cli.fast",
                             "idolq.cli.remote"}
    assert not {"sqlite3", "psycopg", "socket"} & modules
    created = json.loads(local("task", "show", "1", "--db", str(db_path), "--json").stdout)
    assert created["title"] == "T"


def test_the_server_runs_in_the_callers_folder_and_environment(server, socket_dir):
    """The database found from the caller's folder (.idolq/idolq.db upwards), the actor from
    the caller's environment."""
    project = socket_dir / "project"
    (project / "deep").mkdir(parents=True)
    assert local("init", cwd=project).returncode == 0
    run = served(server, "task", "create", "Here", "--type", "lore", "--json",
                 cwd=project / "deep", env={"IDOLQ_ACTOR": "agent:01"})
    assert run.returncode == 0, run.stderr
    shown = local("events", "tail", "--json", cwd=project)
    assert json.loads(shown.stdout.splitlines()[-1])["actor"] == "agent:01"
    nowhere = served(server, "status", "--json", cwd=socket_dir)
    assert nowhere.returncode == 1 and "idolq init" in nowhere.stderr


def test_no_server_there_runs_the_command_here(socket_dir, db_path, tmp_path):
    missing = socket_dir / "none.sock"
    run = served(missing, "task", "create", "Alone", "--type", "lore", "--db", str(db_path),
                 "--json")
    assert run.returncode == 0 and json.loads(run.stdout)["title"] == "Alone"
    stale = socket_dir / "stale.sock"
    left = socket.socket(socket.AF_UNIX)
    left.bind(str(stale))
    left.close()  # a socket file nobody listens at: a server killed with SIGKILL leaves one
    modules = _client_modules(["task", "show", "1", "--json"],
                              {"IDOLQ_SERVER": str(stale), "IDOLQ_DB": str(db_path)}, tmp_path)
    assert "idolq.cli.hot" in modules


def test_what_the_server_cannot_take_runs_here(server, db_path, tmp_path):
    env = {"IDOLQ_SERVER": str(server), "IDOLQ_DB": str(db_path)}
    for args in (["sla", "check", "--json"],  # may deliver notifications: never held up there
                 ["task", "list", "--limit", "2", "--limit", "3"]):  # Typer's to read
        modules = _client_modules(args, env, tmp_path)
        assert "idolq.cli.remote" not in modules, args


def _fake_server(path: Path, answer: bytes | None):
    """A server that reads one request, then answers `answer` or just hangs up."""
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(path))
    listening.listen(1)

    def serve_one():
        connection, _ = listening.accept()
        while connection.recv(65536):
            pass
        if answer is not None:
            connection.sendall(answer)
        connection.close()
        listening.close()

    thread = threading.Thread(target=serve_one, daemon=True)
    thread.start()
    return thread


def test_a_server_that_stops_before_answering_is_reported_as_unknown(socket_dir, db_path):
    path = socket_dir / "dying.sock"
    thread = _fake_server(path, b'{"started": true}\n')
    run = served(path, "task", "create", "Maybe", "--type", "lore", "--db", str(db_path))
    thread.join(10)
    assert run.returncode == 1 and run.stdout == ""
    assert "stopped before answering" in run.stderr and "unknown" in run.stderr
    assert json.loads(local("status", "--db", str(db_path), "--json").stdout)["tasks"][
        "pending"] == 0  # this fake ran nothing; the client did not run it again either


def test_a_server_that_stops_before_starting_leaves_the_command_to_the_caller(socket_dir,
                                                                             db_path):
    """As a server stopped with SIGTERM does to the commands still queued at its socket."""
    path = socket_dir / "stopping.sock"
    thread = _fake_server(path, None)
    run = served(path, "task", "create", "Here", "--type", "lore", "--db", str(db_path),
                 "--json")
    thread.join(10)
    assert run.returncode == 0 and json.loads(run.stdout)["title"] == "Here"


def test_a_server_that_stops_mid_answer_leaves_what_it_sent_and_says_so(socket_dir, db_path):
    path = socket_dir / "half.sock"
    thread = _fake_server(path, b'{"started": true}\n{"out": "[{\\"id\\": 1}"}\n')
    run = served(path, "task", "list", "--db", str(db_path), "--json")
    thread.join(10)
    assert run.returncode == 1 and run.stdout == '[{"id": 1}'
    assert "stopped before answering" in run.stderr


def test_a_declining_server_leaves_the_command_to_the_caller(socket_dir, db_path):
    path = socket_dir / "other.sock"
    thread = _fake_server(path, b'{"declined": true}\n')
    run = served(path, "task", "create", "Mine", "--type", "lore", "--db", str(db_path),
                 "--json")
    thread.join(10)
    assert run.returncode == 0 and json.loads(run.stdout)["title"] == "Mine"


def test_the_server_declines_another_version_and_survives_bad_requests(server, db_path):
    def ask(payload: bytes) -> bytes:
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(str(server))
            client.sendall(payload)
            client.shutdown(socket.SHUT_WR)
            return b"".join(iter(lambda: client.recv(65536), b""))

    request = {"protocol": 1, "version": "0.0.0", "argv": ["status", "--db", str(db_path)],
               "cwd": "/", "env": {}}
    assert json.loads(ask(json.dumps(request).encode() + b"\n")) == {"declined": True}
    request["version"] = __version__
    assert ask(json.dumps(request).encode()) == b""  # cut short (no newline): never run
    request["argv"] = ["events", "tail", "--follow", "--db", str(db_path)]
    assert json.loads(ask(json.dumps(request).encode() + b"\n")) == {"declined": True}
    assert ask(b"[" * 200_000 + b"\n") == b""  # too deep for json: dropped, server lives
    assert ask(b"not json") == b""
    assert ask(b'{"argv": 5}') == b""
    still = served(server, "task", "show", "1", "--db", str(db_path), "--json")
    assert still.returncode == 1 and "no task 1" in still.stderr  # the server still answers


def test_commands_from_many_agents_at_once(server, db_path):
    def create(n: int) -> str:
        run = served(server, "task", "create", f"T{n}", "--type", "lore", "--db", str(db_path),
                     "--json")
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)["code"]

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(create, range(16)))
    assert sorted(codes) == [f"LORE-{n:03d}" for n in range(1, 17)]


def test_serve_refuses_a_path_it_cannot_use(socket_dir, server):
    taken = run_idolq("serve", str(server), "--json")
    assert taken.returncode == 1 and "already answers" in json.loads(taken.stderr)[
        "error"]["message"]
    plain = socket_dir / "file.txt"
    plain.write_text("keep me")
    refused = run_idolq("serve", str(plain))
    assert refused.returncode == 2 and "not a socket" in refused.stderr
    assert plain.read_text() == "keep me"
    long_path = run_idolq("serve", str(socket_dir / ("x" * 120)))
    assert long_path.returncode == 2 and "too long" in long_path.stderr


def test_a_socket_left_by_a_killed_server_is_replaced(socket_dir, db_path):
    path = socket_dir / "k.sock"
    first = start_server(path)
    first.kill()
    first.wait(timeout=30)
    assert path.exists()
    second = start_server(path)
    try:
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        run = served(path, "status", "--db", str(db_path), "--json")
        assert run.returncode == 0, run.stderr
    finally:
        second.send_signal(signal.SIGINT)
        assert second.wait(timeout=30) == 0


def test_a_long_listing_is_streamed_whole_and_a_closed_pipe_stops_it(server, db_path):
    from idolq.services.tasks import NewTask, create_task
    from idolq.store.connection import open_database

    conn = open_database(db_path)
    for n in range(400):
        create_task(conn, NewTask(f"A title long enough to fill the frames {n:04d}", "lore"),
                    "agent:00")
    conn.close()
    args = ("task", "list", "--db", str(db_path), "--json")
    whole = served(server, *args)
    assert len(whole.stdout) > 3 * 64 * 1024  # several frames
    assert _outcome(whole) == _outcome(local(*args))
    assert len(json.loads(whole.stdout)) == 400
    reader = subprocess.Popen([sys.executable, "-m", "idolq", *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE,
                              env={**os.environ, "IDOLQ_SERVER": str(server)})
    assert reader.stdout.read(10) == b'[{"id": 1,'
    reader.stdout.close()  # as `| head -c 10` does
    assert reader.wait(timeout=60) == 1
    assert b"Traceback" not in reader.stderr.read()
    assert served(server, "status", "--db", str(db_path), "--json").returncode == 0


@pytest.mark.sqlite_only  # about the server's one-at-a-time loop, not the database
def test_a_client_that_stops_reading_holds_the_others_up_only_briefly(server, db_path):
    from idolq.cli import remote, serve
    from idolq.services.tasks import NewTask, create_task
    from idolq.store.connection import open_database

    conn = open_database(db_path)
    for n in range(1500):
        create_task(conn, NewTask(f"A title long enough to fill the socket's buffer {n}",
                                  "lore"), "agent:00")
    conn.close()
    with socket.socket(socket.AF_UNIX) as stalled:
        stalled.connect(str(server))
        stalled.sendall(remote.request(["task", "list", "--db", str(db_path), "--json"]))
        stalled.shutdown(socket.SHUT_WR)  # and never reads
        started = time.monotonic()
        other = served(server, "status", "--db", str(db_path), "--json")
        waited = time.monotonic() - started
        assert other.returncode == 0, other.stderr
        assert serve.SEND_TIMEOUT_SECONDS <= waited < serve.SEND_TIMEOUT_SECONDS + 20
        frames = b"".join(iter(lambda: stalled.recv(65536), b"")).splitlines()
    assert frames and not any(b'"exit"' in frame for frame in frames)  # cut off, not ended


def test_a_server_whose_folder_is_removed_still_answers(socket_dir, db_path):
    folder = socket_dir / "gone"
    folder.mkdir()
    process = start_server(Path("s.sock"), cwd=folder)  # a path relative to that folder
    try:
        folder.joinpath("s.sock").rename(socket_dir / "s.sock")
        folder.rmdir()
        run = served(socket_dir / "s.sock", "task", "create", "T", "--type", "lore", "--db",
                     str(db_path), "--json")
        assert run.returncode == 0 and run.stderr == "", run.stderr
        status = served(socket_dir / "s.sock", "status", "--db", str(db_path), "--json")
        assert json.loads(status.stdout)["tasks"]["pending"] == 1
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, process.stderr.read()


def test_text_the_callers_stdout_cannot_hold_comes_out_as_it_would_alone(server, db_path):
    db = ("--db", str(db_path))
    assert local("task", "create", "Café ☕", "--type", "lore", *db).returncode == 0
    for args in [("task", "show", "1", "--json"), ("task", "list", "--json"),
                 ("task", "show", "1"), ("task", "list")]:
        ascii_env = {"PYTHONIOENCODING": "ascii"}
        alone = local(*args, *db, env=ascii_env)
        assert _outcome(served(server, *args, *db, env=ascii_env)) == _outcome(alone), args
        assert alone.returncode == 0, alone.stderr
        if "--json" in args:
            assert "Café ☕" in json.dumps(json.loads(alone.stdout), ensure_ascii=False)


def test_ctrl_c_while_the_server_works_says_what_may_happen(socket_dir, db_path):
    path = socket_dir / "slow.sock"
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(path))
    listening.listen(1)
    client = subprocess.Popen([sys.executable, "-m", "idolq", "task", "create", "T", "--type",
                               "lore", "--db", str(db_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "IDOLQ_SERVER": str(path)})
    connection, _ = listening.accept()
    while connection.recv(65536):
        pass
    connection.sendall(b'{"started": true}\n')  # and works on, for ever
    time.sleep(0.2)
    client.send_signal(signal.SIGINT)
    out, err = client.communicate(timeout=30)
    connection.close()
    listening.close()
    assert client.returncode == 130 and out == ""
    assert "interrupted" in err and "may still finish" in err and "Traceback" not in err


@pytest.mark.sqlite_only  # about the server's one-at-a-time loop, not the database
def test_a_script_reading_a_listing_while_it_runs_more_commands_does_not_wait_on_itself(
        server, db_path):
    """`idolq task list --json | while read ...; do idolq task show ...; done`: the listing's
    client holds its output, so the server is free for the loop's commands at once."""
    from idolq.services.tasks import NewTask, create_task
    from idolq.store.connection import open_database

    conn = open_database(db_path)
    for n in range(1500):
        create_task(conn, NewTask(f"A title long enough to fill the socket's buffer {n}",
                                  "lore"), "agent:00")
    conn.close()
    listing = subprocess.Popen([sys.executable, "-m", "idolq", "task", "list", "--db",
                                str(db_path), "--json"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ,
                                                            "IDOLQ_SERVER": str(server)})
    first = listing.stdout.read(1)  # the listing has started; nobody reads the rest yet
    started = time.monotonic()
    shown = served(server, "task", "show", "1", "--db", str(db_path), "--json")
    assert shown.returncode == 0, shown.stderr
    assert time.monotonic() - started < 4  # not held until the 5 s cut-off
    rest = listing.stdout.read()
    assert listing.wait(timeout=60) == 0, listing.stderr.read()
    assert len(json.loads(first + rest)) == 1500
