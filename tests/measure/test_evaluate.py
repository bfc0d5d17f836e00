"""The benchmark's pure logic on hand-made answers: no model, no index."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from assistant import __version__
from assistant.config import Settings
from assistant.errors import AssistantError, QuestionError, QuestionFileError, StoreUnavailableError
from assistant.measure.evaluate import (
    Question,
    QuestionResult,
    Source,
    aggregate,
    contains_expected,
    load_questions,
    overlaps,
    passage_matches,
    run_eval,
    score_question,
)
from assistant.measure.reports import compare_runs, summary_text, write_markdown
from assistant.measure.runjson import load_run, write_json
from assistant.schema import Answer, Chunk, Citation, ScoredChunk

DOC = "resultaatmonitor-2025"


# --- builders -------------------------------------------------------------------------------


def passage(doc: str, start: int, end: int, page: int | None = None) -> ScoredChunk:
    chunk = Chunk(f"{doc}-{start}", doc, doc, "tekst", start, end, 0, 10, page=page)
    return ScoredChunk(chunk=chunk, score=0.5)


def citation(number: int, doc: str, start: int, end: int, page: int | None = None) -> Citation:
    return Citation(number, doc, doc, start, end, "tekst", "passage", page=page)


def answer(
    text: str = "",
    abstained: bool = False,
    citations: tuple[Citation, ...] = (),
    passages: tuple[ScoredChunk, ...] = (),
) -> Answer:
    return Answer("vraag", text, abstained, citations=citations, passages=passages)


def question(
    qid: str = "q1",
    kind: str = "figure",
    must: tuple[str, ...] = ("40",),
    sources: tuple[Source, ...] = (Source(DOC, (10, 12)),),
    split: str = "",
) -> Question:
    if kind == "unanswerable":
        must, sources = (), ()
    extra = {"split": split} if split else {}
    return Question(qid, f"Vraag {qid}?", kind, "referentie", must, sources, 1, extra)


def unanswerable(qid: str) -> Question:
    return question(qid, kind="unanswerable")


# --- number- and accent-aware matching ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "found"),
    [
        ("Er is € 40 miljoen begroot.", "40", True),
        ("Er is € 140 miljoen begroot.", "40", False),
        ("Het doel voor 2040 staat vast.", "40", False),
        ("Het is 40,5 procent.", "40", False),
        ("Het is 1,40 procent.", "40", False),
        ("Er zijn 125 300 plekken.", "125.300", True),
        ("bevroren op 125.300.", "125.300", True),
        ("bevroren op 125300", "125 300", True),
        ("bevroren op 125.300", "125300", True),
        ("Het aandeel is 64.9%.", "64,9", True),
        ("Het aandeel is 64,9 %.", "64.9%", True),
        ("Het aandeel is 64,9.", "64", False),
        ("In totaal 6.482 woningen.", "6482", True),
        ("Gemiddeld € 5,0 miljoen.", "5 miljoen", True),
        ("Een bedrag van €40 mln", "€ 40 mln", True),
        ("Zie de tabel [40].", "40", False),
        ("In 2026 [1]", "2026", True),
        ("Cliënten met een indicatie", "clienten", True),
        ("clienten met een indicatie", "Cliënten", True),
        ("Dat is SPECIFIEKE zorg.", "specifiek", True),
        ("Dat is algemene zorg.", "specifiek", False),
        ("Uiterlijk 30 september 2025.", "30 september", True),
        ("Uiterlijk 13 september 2025.", "3 september", False),
        ("De periode 2023–2027.", "2023-2027", True),
    ],
)
def test_contains_expected(text: str, expected: str, found: bool) -> None:
    assert contains_expected(text, expected) is found


# --- ranges and passages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "result"),
    [
        ((1, 3), (3, 5), True),  # touching at one line counts
        ((3, 5), (1, 3), True),
        ((5, 5), (5, 5), True),
        ((1, 10), (4, 5), True),
        ((1, 2), (3, 4), False),  # adjacent but disjoint
        ((7, 9), (1, 6), False),
    ],
)
def test_overlaps(a: tuple[int, int], b: tuple[int, int], result: bool) -> None:
    assert overlaps(a, b) is result


@pytest.mark.parametrize(
    ("source", "doc", "start", "end", "page", "page_end", "result"),
    [
        (Source(DOC, (10, 12)), DOC, 12, 20, None, None, True),
        (Source(DOC, (10, 12)), DOC, 13, 20, None, None, False),
        (Source(DOC, (10, 12)), "investeringen-2023", 10, 12, None, None, False),
        (Source(DOC, None, 4), DOC, 100, 120, 4, None, True),  # page-only source
        (Source(DOC, None, 4), DOC, 100, 120, 5, None, False),
        (Source(DOC, None, 4), DOC, 100, 120, None, None, False),  # no page: cannot tell
        (Source(DOC, None, 4), DOC, 100, 120, 3, 4, True),  # passage spans pages 3-4
        (Source(DOC, (10, 12), 4), DOC, 50, 60, 4, None, False),  # lines win over page
    ],
)
def test_passage_matches(
    source: Source,
    doc: str,
    start: int,
    end: int,
    page: int | None,
    page_end: int | None,
    result: bool,
) -> None:
    assert passage_matches(source, doc, start, end, page, page_end) is result


# --- one question ---------------------------------------------------------------------------


def test_score_question_ranks_first_passage_on_a_gold_source() -> None:
    ranked = (passage(DOC, 1, 5), passage(DOC, 12, 30), passage(DOC, 10, 11))
    result = score_question(question(), answer("€ 40 miljoen", passages=ranked), 12.0, k=5)
    assert result.gold_rank == 2
    assert [p.gold for p in result.retrieved] == [False, True, True]
    assert (result.hit_at_1, result.hit_at_k, result.reciprocal_rank) == (False, True, 0.5)
    assert result.correct and result.missing == ()
    assert score_question(question(), answer("40", passages=ranked), 1.0, k=1).hit_at_k is False


def test_score_question_without_gold_passage() -> None:
    result = score_question(question(), answer("40", passages=(passage(DOC, 1, 5),)), 1.0, k=5)
    assert result.gold_rank is None
    assert (result.hit_at_1, result.hit_at_k, result.reciprocal_rank) == (False, False, 0.0)


def test_citations_stand_in_for_ranking_when_there_are_no_passages() -> None:
    cited = (citation(1, DOC, 40, 41), citation(2, DOC, 11, 11))
    result = score_question(question(), answer("40", citations=cited), 1.0, k=5)
    assert result.gold_rank == 2
    assert result.citation_precision == 0.5


def test_answer_needs_every_must_contain_and_no_abstention() -> None:
    q = question(must=("68", "62"))
    assert score_question(q, answer("68% en 62%"), 1.0, 5).correct
    partial = score_question(q, answer("68% en 63%"), 1.0, 5)
    assert not partial.correct and partial.missing == ("62",)
    abstained = score_question(q, answer("68 en 62", abstained=True), 1.0, 5)
    assert not abstained.correct
    assert abstained.citation_precision is None  # not judged when abstained


def test_unanswerable_is_correct_only_when_abstained() -> None:
    right = score_question(unanswerable("u1"), answer("Niet gevonden.", abstained=True), 1.0, 5)
    wrong = score_question(
        unanswerable("u2"), answer("Het is 12.", citations=(citation(1, DOC, 1, 2),)), 1.0, 5
    )
    assert right.correct and right.abstention_correct
    assert not wrong.correct and not wrong.abstention_correct
    for result in (right, wrong):  # no sources: out of retrieval and citation metrics
        assert result.hit_at_1 is None and result.reciprocal_rank is None
        assert result.citation_precision is None


# --- aggregate ------------------------------------------------------------------------------


def _five_results() -> list[QuestionResult]:
    gold, other = passage(DOC, 10, 12), passage(DOC, 500, 510)
    on_gold, on_gold_too = citation(1, DOC, 11, 11), citation(1, DOC, 10, 10)
    elsewhere = citation(2, DOC, 500, 501)
    cases = [
        # right answer, gold at rank 1, one gold citation
        (question("q1", split="dev"), answer("40", citations=(on_gold,), passages=(gold, other))),
        # wrong answer, gold at rank 3, one of two citations on gold lines
        (
            question("q2", split="dev"),
            answer("41", citations=(on_gold_too, elsewhere), passages=(other, other, gold)),
        ),
        # abstained although answerable, gold never retrieved
        (
            question("q3", kind="table_cell", split="heldout"),
            answer("", abstained=True, passages=(other,)),
        ),
        (unanswerable("q4"), answer("", abstained=True)),
        (unanswerable("q5"), answer("Het is 3.", citations=(citation(1, DOC, 1, 1),))),
    ]
    return [
        score_question(q, a, latency, k=5)
        for (q, a), latency in zip(cases, [10.0, 20.0, 30.0, 40.0, 50.0], strict=True)
    ]


def test_aggregate_overall() -> None:
    m = aggregate(_five_results())
    o = m.overall
    assert (m.k, o.n, o.n_answerable, o.n_unanswerable, o.n_retrieval) == (5, 5, 3, 2, 3)
    assert o.hit_at_1 == pytest.approx(1 / 3)
    assert o.hit_at_k == pytest.approx(2 / 3)
    assert o.mrr == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert o.accuracy == pytest.approx(2 / 5)  # q1 and q4
    assert o.abstention_precision == pytest.approx(1 / 2)  # abstained: q3 (wrong), q4 (right)
    assert o.abstention_recall == pytest.approx(1 / 2)  # unanswerable: q4 (abstained), q5
    assert o.citation_precision == pytest.approx(2 / 3)  # q1 1/1, q2 1/2; q5 not judged
    assert o.latency_p50_ms == pytest.approx(30.0)
    assert o.latency_p95_ms == pytest.approx(48.0)


def test_aggregate_per_kind_and_split() -> None:
    m = aggregate(_five_results())
    assert list(m.by_kind) == ["figure", "table_cell", "unanswerable"]
    assert m.by_kind["figure"].accuracy == pytest.approx(0.5)
    assert m.by_kind["unanswerable"].hit_at_1 is None  # no retrieval questions in the group
    assert m.by_kind["unanswerable"].citation_precision is None
    assert m.by_kind["table_cell"].abstention_precision == 0.0
    assert set(m.by_split) == {"dev", "heldout"}
    assert m.by_split["dev"].n == 2 and m.by_split["heldout"].mrr == 0.0


def test_abstention_metrics_without_abstentions_are_undefined() -> None:
    results = [score_question(question(), answer("40"), 1.0, 5)]
    o = aggregate(results).overall
    assert o.abstention_precision is None and o.abstention_recall is None
    assert aggregate([]).overall.accuracy is None


# --- question files -------------------------------------------------------------------------


GOOD = {
    "id": "q017",
    "question": "Hoeveel is er in 2025 begroot voor het regiobudget scheiden wonen en zorg?",
    "kind": "table_cell",
    "answer": "€ 40 mln",
    "must_contain": ["40"],
    "sources": [{"document": "investeringen-2023", "lines": [33, 33]}],
}


def _line(**changes: Any) -> str:
    data = {**GOOD, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not ...}, ensure_ascii=False)


def test_load_questions_reads_a_good_file(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    page_source = [{"document": "programmaplan-2022", "page": 4}]
    lines = [_line(), "", _line(id="q018", sources=page_source, split="dev", note="x")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    questions, problems = load_questions(path)
    assert problems == []
    assert [q.id for q in questions] == ["q017", "q018"]
    first, second = questions
    assert first.sources == (Source("investeringen-2023", (33, 33), None),)
    assert first.must_contain == ("40",) and first.line_no == 1 and first.answerable
    assert second.sources == (Source("programmaplan-2022", None, 4),)
    assert second.line_no == 3 and second.split == "dev" and second.extra["note"] == "x"
    assert load_questions(str(path))[0] == questions  # a str path works too


def test_load_questions_reports_bad_lines_with_their_numbers(tmp_path: Path) -> None:
    lines = [
        _line(id="ok1"),
        '{"id": "bad json", ',
        _line(id="q2", question=...),
        _line(id="q3", must_contain="40"),
        "",
        _line(id=17),
        _line(id="q6", sources=[{"document": DOC, "lines": [12, 10]}]),
        "[1, 2]",
        _line(id="ok1"),
        _line(id="q9", kind="unanswerable"),
        _line(id="q10", sources=[{"document": DOC}]),
        _line(id="q11", question=..., kind=...),
        _line(id="ok2", kind="unanswerable", must_contain=[], sources=[]),
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    questions, problems = load_questions(path)
    assert [q.id for q in questions] == ["ok1", "ok2"]
    assert not questions[1].answerable
    expected = [
        "line 2: not valid JSON",
        "line 3: missing field 'question'",
        "line 4: field 'must_contain' must be a list of non-empty strings",
        "line 6: field 'id' must be a string, got a number",
        "line 7: sources[0]: 'lines' must be [first, last]",
        "line 8: expected a JSON object, got a list",
        "line 9: duplicate id 'ok1' (line 1)",
        "line 10: kind 'unanswerable' needs an empty must_contain",
        "line 11: sources[0] needs 'lines' or 'page'",
        "line 12: missing fields 'question', 'kind'",
    ]
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), problem


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\n  \n", "is empty"),
        ("Cliënten".encode("latin-1") + b"\n", "not UTF-8"),
        (b'{"id": 1}\n[2]\n', "no usable question"),
        (json.dumps([GOOD]).encode(), "JSON array"),
        (json.dumps(GOOD, indent=2).encode(), "one complete JSON object per line"),
    ],
)
def test_unusable_question_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_bytes(content)
    with pytest.raises(QuestionFileError, match=message):
        load_questions(path)


def test_unusable_file_message_names_the_first_problems(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text('{"id": 1}\nnope\n', encoding="utf-8")
    with pytest.raises(QuestionFileError) as info:
        load_questions(path)
    assert "line 1: missing fields" in str(info.value) and "line 2: not valid JSON" in str(
        info.value
    )


def test_too_large_and_missing_question_files(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text((_line() + "\n") * 10, encoding="utf-8")
    with pytest.raises(QuestionFileError, match="limited to 100 bytes"):
        load_questions(path, max_bytes=100)
    with pytest.raises(QuestionFileError, match="larger than the limit"):
        load_questions(io.BytesIO(path.read_bytes()), max_bytes=100)
    with pytest.raises(QuestionFileError, match="does not exist"):
        load_questions(tmp_path / "missing.jsonl")


def test_load_questions_from_streams() -> None:
    text = "\ufeff" + _line() + "\n"  # a byte order mark is fine
    assert [q.id for q in load_questions(io.StringIO(text))[0]] == ["q017"]
    assert [q.id for q in load_questions(io.BytesIO(text.encode("utf-8")))[0]] == ["q017"]


# --- running, writing, comparing ------------------------------------------------------------


class FakeAsker:
    """Answers from a table, as the real Assistant would return them."""

    def __init__(self, answers: dict[str, Answer | Exception]) -> None:
        self.settings = Settings(top_k=5)
        self.answers = answers
        self.asked: list[tuple[str, Any]] = []

    def ask(self, question: str, history: list[tuple[str, str]] | None = None) -> Answer:
        self.asked.append((question, history))
        result = self.answers[question]
        if isinstance(result, Exception):
            raise result
        return result

    def index_info(self) -> dict[str, Any]:
        return {
            "embed_model": "hashing",
            "corpus_fingerprint": "abc123",
            "build_id": "b1",
            "built_at": "2025-01-01T00:00:00",
        }


def _run(answer_q1: Answer, top_k: int = 5) -> Any:
    questions = [question("q1", split="dev"), question("q2", must=("7",)), unanswerable("q3")]
    asker = FakeAsker(
        {
            "Vraag q1?": answer_q1,
            "Vraag q2?": QuestionError("De vraag is te lang."),
            "Vraag q3?": answer("Dat staat niet in de documenten.", abstained=True),
        }
    )
    asker.settings = Settings(top_k=top_k)
    seen: list[tuple[int, int]] = []
    run = run_eval(asker, questions, k=5, progress=lambda i, n: seen.append((i, n)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert all(history is None for _, history in asker.asked)
    return run


def test_run_eval_records_refused_questions_and_run_info() -> None:
    run = _run(answer("€ 40 miljoen [1]", citations=(citation(1, DOC, 10, 12),)))
    assert [r.correct for r in run.results] == [True, False, True]
    assert run.results[1].error == "De vraag is te lang." and not run.results[1].abstained
    assert run.metrics.overall.n_errors == 1
    assert run.embed_model == "hashing" and run.corpus_fingerprint == "abc123"
    assert run.version == __version__ and run.settings["top_k"] == 5
    assert "llm_api_key" not in run.settings
    assert all(r.latency_ms >= 0 for r in run.results)


def test_run_eval_stops_on_errors_that_would_repeat() -> None:
    asker = FakeAsker({"Vraag q1?": StoreUnavailableError("Chroma does not answer.")})
    with pytest.raises(StoreUnavailableError):
        run_eval(asker, [question("q1")])


def test_run_eval_rejects_duplicate_ids_and_bad_k() -> None:
    asker = FakeAsker({"Vraag q1?": answer("40")})
    with pytest.raises(QuestionFileError, match="unique across files: q1"):
        run_eval(asker, [question("q1"), question("q1")])
    with pytest.raises(AssistantError, match="k must be at least 1"):
        run_eval(asker, [question("q1")], k=0)


def test_json_round_trip_and_markdown_report(tmp_path: Path) -> None:
    long_answer = "Het bedrag is 41 miljoen " + "en nog veel meer tekst " * 40
    run = _run(answer(long_answer, citations=(citation(1, DOC, 99, 99),)))
    run = replace(run, questions_file="evals/dev.jsonl", problems=("line 9: not valid JSON",))
    write_json(run, tmp_path / "out" / "run.json")
    data = load_run(tmp_path / "out" / "run.json")
    assert data["embed_model"] == "hashing" and data["version"] == __version__
    assert data["metrics"]["overall"]["n"] == 3 and data["k"] == 5
    q1 = data["questions"][0]
    assert q1["id"] == "q1" and q1["split"] == "dev" and q1["missing"] == ["40"]
    assert q1["citations"] == [
        {"number": 1, "document": DOC, "page": None, "lines": [99, 99], "gold": False}
    ]
    assert q1["pass"]["answer"] is False and q1["pass"]["citation_precision"] == 0.0
    assert set(q1) >= {"question", "answer", "abstained", "retrieved", "latency_ms", "pass"}

    report = tmp_path / "report.md"
    write_markdown(run, report, "wozo eval --report report.md")
    text = report.read_text(encoding="utf-8")
    for needle in (
        "`wozo eval --report report.md`",
        f"Version: {__version__}",
        "`top_k=5`",
        "Embedding model: hashing",
        "`abc123`",
        "## Per kind",
        "## Per split",
        "| dev | 1 |",
        "line 9: not valid JSON",
        "## Failed questions (2 of 3)",
        "### q1 · figure",
        'missing "40"',
        f"{DOC}:99-99 ✗",
        f"Gold sources: {DOC}:10-12 (not retrieved)",
        "error: De vraag is te lang.",
    ):
        assert needle in text, needle
    assert "llm_api_key" not in text
    assert "…" in text and long_answer not in text  # the answer is truncated
    assert "hit@5" in summary_text(run) and "failed (2): q1, q2" in summary_text(run)


def test_compare_runs(tmp_path: Path) -> None:
    old_run = _run(answer("41 [1]", citations=(citation(1, DOC, 99, 99),)))
    new_run = _run(
        answer("40", citations=(citation(1, DOC, 11, 11),), passages=(passage(DOC, 10, 10),)),
        top_k=8,
    )
    write_json(old_run, tmp_path / "old.json")
    write_json(new_run, tmp_path / "new.json")
    text = compare_runs(load_run(tmp_path / "old.json"), load_run(tmp_path / "new.json"))
    assert "top_k: 5 -> 8" in text
    assert "accuracy" in text and "33.3%" in text and "66.7%" in text and "+33.3 pp" in text
    assert "Answers now correct (1)\n  + q1 [figure] Vraag q1?" in text
    assert "Answers now wrong (0)" in text
    assert "Gold passage now in the top k (1)\n  + q1" in text
    assert "figure (n=2): " in text
    assert "note: the corpus differs" not in text


def test_compare_runs_notes_different_question_sets() -> None:
    run = _run(answer("40"))
    write = {"id": "q9", "question": "Nieuw?", "kind": "figure", "pass": {"answer": True}}
    from assistant.measure.runjson import run_to_json

    old = run_to_json(run)
    new = {**old, "corpus_fingerprint": "def456", "questions": [*old["questions"], write]}
    text = compare_runs(old, new)
    assert "note: the corpus differs (abc123 -> def456)" in text
    assert "Only in the new run: q9" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json", "not readable JSON"), ('{"a": 1}', "not a benchmark run")],
)
def test_load_run_rejects_other_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "run.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AssistantError, match=message):
        load_run(path)
    with pytest.raises(AssistantError, match="does not exist"):
        load_run(tmp_path / "missing.json")
