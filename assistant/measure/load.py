"""Load benchmark of the web app: N concurrent users asking questions over HTTP (127.0.0.1).

`python -m assistant.measure.load --report evals/LOAD.md` starts the app itself (`python -m
assistant serve` on a free port, on a private copy of the index), waits until it answers, runs
1, 4 and 16 concurrent users, stops the app and writes the report; `--url` uses a running app.

Every user is a thread with its own `gradio_client.Client` calling the UI's `/ask` endpoint.
Each level is bounded by time and by request count and stops by itself. Besides throughput,
latency and errors it counts *crossed* answers: the assistant is deterministic, so every answer
under load must be the one the same question got when asked alone (and carry its own question
and, for some questions, a known figure); anything else means answers leaked between requests.

Starting and stopping the app is in `assistant.measure.loadapp`, the Markdown report in
`assistant.measure.loadreport`.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.config import Settings
from assistant.measure.evaluate import contains_expected
from assistant.measure.loadapp import API_NAME, free_port, start_app, stop_app, wait_until_up
from assistant.measure.loadreport import fmt_ms, render_report
from assistant.measure.system import (
    cpu_jiffies,
    machine_info,
    other_cores,
    own_cpu_s,
    percentile,
    proc_cpu_s,
    proc_memory_mb,
    wait_for_quiet,
)

# Questions with the figure their answer must contain (checked alone first, then under load).
DEFAULT_QUESTIONS: dict[str, str] = {
    "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?": "125.300",
    "Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?": "40",
    "Hoe groot was het totale budget van de STOZ-regeling in 2024?": "54",
    "Hoeveel STOZ-aanvragen uit 2024 zijn tot nu toe gehonoreerd?": "299",
    "Hoeveel volgers heeft Zorg van Nu op LinkedIn?": "9.624",
    "Hoeveel miljoen euro stond er in 2024 in de begroting voor het stimuleringsbudget Wlz?": "31",
    "Wat is het doel van actielijn 2?": "",
    "Wat is een zorgzame gemeenschap?": "",
    "Hoeveel budget is er in 2026 beschikbaar voor de STOZ-regeling?": "",  # abstains
}
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Outcome:
    """One request: who sent what, how long it took, and what went wrong (empty: nothing)."""

    user: int
    question: str
    started: float  # seconds since the level started
    latency_ms: float
    error: str = ""
    crossed: str = ""


def normalise(question: str) -> str:
    return " ".join(question.split())


def crossed_reason(
    question: str, response: Any, reference: str | None = None, expected: str = ""
) -> str:
    """Why `response` is not the answer to `question` ('' when it is).

    The response must be the UI's dict for this very question: its "question" field equals the
    question sent, its answer contains `expected` (when given) and equals `reference`, the
    answer the same question got when asked alone (when known). Error responses are not
    judged here (they are counted as errors).
    """
    if not isinstance(response, dict):
        return f"not a dict: {type(response).__name__}"
    if "error" in response:
        return ""
    got = response.get("question")
    if got is None or normalise(str(got)) != normalise(question):
        return f"answer to another question: {str(got)[:80]!r}"
    answer = str(response.get("answer", ""))
    if expected and not contains_expected(answer, expected):
        return f"expected figure {expected!r} missing"
    if reference is not None and answer != reference:
        return "answer differs from the answer this question got alone"
    return ""


Auth = tuple[str, str] | None


def _client(base_url: str, auth: Auth = None) -> Any:
    from gradio_client import Client

    return Client(base_url, auth=auth, verbose=False, download_files=False, analytics_enabled=False)


def _ask(client: Any, question: str, timeout_s: float) -> Any:
    return client.submit(question, None, None, api_name=API_NAME).result(timeout=timeout_s)


def reference_answers(
    base_url: str,
    questions: Sequence[str],
    expected: dict[str, str],
    timeout_s: float = 120.0,
    auth: Auth = None,
) -> tuple[dict[str, str], list[Outcome], list[str]]:
    """Ask every question once, alone: the reference answers, their timings, and problems."""
    client = _client(base_url, auth)
    refs: dict[str, str] = {}
    outcomes: list[Outcome] = []
    problems: list[str] = []
    t0 = time.perf_counter()
    for question in questions:
        s = time.perf_counter()
        try:
            response = _ask(client, question, timeout_s)
        except Exception as exc:  # noqa: BLE001 - any client failure is an error to report
            outcomes.append(Outcome(0, question, s - t0, _ms(s), error=_describe(exc)))
            problems.append(f"{question!r}: {_describe(exc)}")
            continue
        outcomes.append(Outcome(0, question, s - t0, _ms(s)))
        if not isinstance(response, dict) or "error" in response:
            problems.append(f"{question!r}: {response!r:.200}")
            continue
        why = crossed_reason(question, response, None, expected.get(question, ""))
        if why:
            problems.append(f"{question!r}: {why}")
        refs[question] = str(response.get("answer", ""))
    _close(client)
    return refs, outcomes, problems


def run_level(
    base_url: str,
    users: int,
    questions: Sequence[str],
    references: dict[str, str],
    expected: dict[str, str],
    *,
    duration_s: float,
    max_requests: int,
    timeout_s: float = 120.0,
    auth: Auth = None,
) -> list[Outcome]:
    """`users` threads, each with its own client, asking in turn until time or budget is up."""
    clients = [_client(base_url, auth) for _ in range(users)]
    budget = itertools.count()
    lock = threading.Lock()
    outcomes: list[Outcome] = []
    start = threading.Barrier(users + 1)
    t0 = 0.0

    def user(n: int) -> None:
        start.wait()
        for i in itertools.count():
            with lock:
                if next(budget) >= max_requests:
                    return
            if time.perf_counter() - t0 >= duration_s:
                return
            question = questions[(n + i) % len(questions)]
            s = time.perf_counter()
            try:
                response = _ask(clients[n], question, timeout_s)
                outcome = Outcome(
                    n,
                    question,
                    s - t0,
                    _ms(s),
                    error=str(response["error"])
                    if isinstance(response, dict) and "error" in response
                    else "",
                    crossed=crossed_reason(
                        question, response, references.get(question), expected.get(question, "")
                    ),
                )
            except Exception as exc:  # noqa: BLE001 - any client failure is an error to report
                outcome = Outcome(n, question, s - t0, _ms(s), error=_describe(exc))
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    t0 = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(duration_s + timeout_s + 30)
    for client in clients:
        _close(client)
    return outcomes


def level_stats(outcomes: Sequence[Outcome], users: int) -> dict[str, Any]:
    """Throughput, latency percentiles and counts of one level (pure)."""
    ok = [o.latency_ms for o in outcomes if not o.error]
    wall = max((o.started + o.latency_ms / 1000 for o in outcomes), default=0.0)
    return {
        "users": users,
        "requests": len(outcomes),
        "ok": len(ok),
        "errors": sum(1 for o in outcomes if o.error),
        "crossed": sum(1 for o in outcomes if o.crossed),
        "seconds": wall,
        "throughput_rps": len(ok) / wall if wall else None,
        "p50_ms": percentile(ok, 0.50),
        "p95_ms": percentile(ok, 0.95),
        "p99_ms": percentile(ok, 0.99),
        "max_ms": max(ok, default=None),
        "examples": sorted({o.error or o.crossed for o in outcomes if o.error or o.crossed})[:5],
    }


def run_load(
    base_url: str,
    users: Sequence[int] = (1, 4, 16),
    questions: Sequence[str] | None = None,
    *,
    expected: dict[str, str] | None = None,
    duration_s: float = 60.0,
    max_requests: int = 200,
    server_pid: int | None = None,
    auth: Auth = None,
    timeout_s: float = 120.0,
    progress: Progress = print,
) -> dict[str, Any]:
    """Run every level against `base_url`; per level at most `max_requests` and `duration_s`.

    `server_pid` (a local server) adds its memory: VmRSS before and VmHWM after each level.
    """
    if questions is None:
        questions = list(DEFAULT_QUESTIONS)
        expected = dict(DEFAULT_QUESTIONS) if expected is None else expected
    expected = {q: e for q, e in (expected or {}).items() if e}
    questions = list(questions)
    refs, alone, problems = reference_answers(base_url, questions, expected, timeout_s, auth)
    for problem in problems:
        progress(f"  reference: {problem}")
    # An expectation the app misses even alone says nothing about crossing: drop it.
    expected = {q: e for q, e in expected.items() if q in refs and contains_expected(refs[q], e)}
    result: dict[str, Any] = {
        "base_url": base_url,
        "questions": questions,
        "expected": expected,
        "reference_problems": problems,
        "alone": level_stats(alone, 1),
        "server_rss_start_mb": proc_memory_mb(server_pid, "VmRSS") if server_pid else None,
        "levels": [],
    }
    for n in users:
        progress(f"{n} concurrent user(s): up to {max_requests} requests or {duration_s:.0f} s")
        stat0, wall0 = cpu_jiffies(), time.perf_counter()
        own0, app0 = own_cpu_s(), proc_cpu_s(server_pid)
        outcomes = run_level(
            base_url,
            n,
            questions,
            refs,
            expected,
            duration_s=duration_s,
            max_requests=max_requests,
            timeout_s=timeout_s,
            auth=auth,
        )
        stats = level_stats(outcomes, n)
        stat1, wall1 = cpu_jiffies(), time.perf_counter()
        own1, app1 = own_cpu_s(), proc_cpu_s(server_pid)
        app_s = app1 - app0 if app0 is not None and app1 is not None else None
        stats["server_cores"] = app_s / (wall1 - wall0) if app_s is not None else None
        if stat0 and stat1:
            # the rest of the machine: all busy CPU time less the app's and this process's
            ours = own1 - own0 + (app_s or 0.0)
            stats["others_cores"] = other_cores(stat0, stat1, ours, wall1 - wall0)
        if server_pid:
            stats["server_rss_mb"] = proc_memory_mb(server_pid, "VmRSS")
            stats["server_hwm_mb"] = proc_memory_mb(server_pid, "VmHWM")
        progress(
            f"  {stats['ok']} ok, {stats['errors']} errors, {stats['crossed']} crossed; "
            f"p50 {fmt_ms(stats['p50_ms'])}, p95 {fmt_ms(stats['p95_ms'])}"
        )
        result["levels"].append(stats)
    return result


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


def _close(client: Any) -> None:
    close = getattr(client, "close", None)
    if callable(close):
        close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assistant.measure.load", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--report", type=Path, help="write the Markdown report here")
    parser.add_argument("--url", help="use the app running here instead of starting one")
    parser.add_argument("--pid", type=int, help="with --url: the app's process id, for memory")
    parser.add_argument("--users", default="1,4,16", help="concurrent users per level")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per level (max)")
    parser.add_argument("--max-requests", type=int, default=200, help="requests per level (max)")
    parser.add_argument("--startup-timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    users = [int(x) for x in args.users.split(",") if x.strip()]
    settings = Settings.from_env()
    started = datetime.now().astimezone()
    command = "python -m assistant.measure.load " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    app: dict[str, Any] = {"concurrency": settings.concurrency, "embed_model": settings.embed_model}
    with tempfile.TemporaryDirectory(prefix="wozo-load-") as tmp:
        proc = None
        try:
            if args.url:
                base_url, pid = args.url, args.pid
                app["how"] = f"running at {base_url}"
            else:
                port = free_port()
                base_url = f"http://127.0.0.1:{port}/"
                proc, log = start_app(settings, Path(tmp), port)
                pid = proc.pid
                print(f"started the app (pid {pid}) at {base_url}; waiting ...", file=sys.stderr)
                try:
                    app["startup_s"] = wait_until_up(base_url, proc, args.startup_timeout)
                except RuntimeError as exc:
                    tail = log.read_text(errors="replace")[-3000:]
                    print(f"error: {exc}\n--- server log ---\n{tail}", file=sys.stderr)
                    return 2
                app["how"] = (
                    "`python -m assistant serve` started by the load test on a private copy "
                    "of the index"
                )
            wait_for_quiet(lambda msg: print(msg, file=sys.stderr))
            result = run_load(
                base_url,
                users,
                duration_s=args.duration,
                max_requests=args.max_requests,
                server_pid=pid,
                auth=(settings.auth_user, settings.auth_password) if settings.auth_user else None,
                progress=lambda msg: print(msg, file=sys.stderr),
            )
        finally:
            if proc is not None:
                stop_app(proc)
    result.update(
        command=command.strip(),
        date=started.isoformat(timespec="seconds"),
        version=__version__,
        machine=machine_info(),
        app=app,
        duration_s=args.duration,
        max_requests=args.max_requests,
    )
    text = render_report(result)
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(text, encoding="utf-8")
        print(f"wrote {args.report}", file=sys.stderr)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
