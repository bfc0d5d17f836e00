"""Benchmark question files: the fixed JSON Lines format, parsed with a problem per bad line.

See `evals/README.md` for the format. `load_questions` never raises for a bad line: it reports
`line N: …` and keeps the rest; it raises QuestionFileError only when the file as a whole cannot
be used (missing, empty, too large, not UTF-8, no usable line).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from assistant.errors import QuestionFileError

UNANSWERABLE = "unanswerable"
DEFAULT_MAX_BYTES = 5_000_000  # used when load_questions gets max_bytes=None
REQUIRED_FIELDS = ("id", "question", "kind", "answer", "must_contain", "sources")


@dataclass(frozen=True)
class Source:
    """Where the evidence is: 1-based inclusive lines, or only a page (PDFs)."""

    document: str
    lines: tuple[int, int] | None = None
    page: int | None = None


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    kind: str
    answer: str  # the reference answer, shown in reports; scoring uses must_contain
    must_contain: tuple[str, ...]
    sources: tuple[Source, ...]
    line_no: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # unknown fields

    @property
    def answerable(self) -> bool:
        return self.kind != UNANSWERABLE

    @property
    def split(self) -> str:
        value = self.extra.get("split")
        return "" if value in (None, "") else str(value)


class _LineProblem(ValueError):
    pass


def load_questions(
    path: Path | str | IO[Any], max_bytes: int | None = None
) -> tuple[list[Question], list[str]]:
    """Read a JSON Lines question file: the usable questions and one problem per skipped line.

    Blank lines are ignored; a bad line is skipped and reported ("line 7: missing field
    'question'") so that the rest still runs. Raises QuestionFileError when the file cannot
    be used at all: missing, larger than `max_bytes` (default DEFAULT_MAX_BYTES), not UTF-8,
    empty, or without a single usable line (e.g. a JSON array instead of JSON Lines).
    """
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    name, raw = _read_limited(path, limit)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuestionFileError(
            f"{name} is not UTF-8 text (invalid byte at offset {exc.start}). "
            "Save it as UTF-8 and try again."
        ) from exc
    if not text.strip():
        raise QuestionFileError(f"{name} is empty: write one JSON question per line.")
    questions: list[Question] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            question = _parse_question(_json_line(line), line_no)
        except _LineProblem as exc:
            problems.append(f"line {line_no}: {exc}")
            continue
        if question.id in seen:
            problems.append(
                f"line {line_no}: duplicate id {question.id!r} (line {seen[question.id]})"
            )
            continue
        seen[question.id] = line_no
        questions.append(question)
    if not questions:
        shown = "; ".join(problems[:3]) + ("; …" if len(problems) > 3 else "")
        raise QuestionFileError(f"{name} has no usable question. {_format_hint(text)} ({shown})")
    return questions, problems


def _read_limited(source: Path | str | IO[Any], limit: int) -> tuple[str, bytes]:
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > limit:
                raise QuestionFileError(
                    f"{path} is {size:,} bytes; question files are limited to {limit:,} bytes."
                )
            return str(path), path.read_bytes()
        except FileNotFoundError as exc:
            raise QuestionFileError(f"Question file {path} does not exist.") from exc
        except OSError as exc:
            raise QuestionFileError(f"Cannot read question file {path}: {exc.strerror}.") from exc
    name = str(getattr(source, "name", "") or "The question file")
    data = source.read(limit + 1)
    raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)
    if len(raw) > limit:
        raise QuestionFileError(f"{name} is larger than the limit of {limit:,} bytes.")
    return name, raw


def _json_line(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise _LineProblem(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc


def _format_hint(text: str) -> str:
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        return "Expected JSON Lines: one JSON object per line."
    if isinstance(whole, list):
        return "This is a JSON array, not JSON Lines: put each question object on its own line."
    return "Expected JSON Lines: one complete JSON object per line, not spread over lines."


def _type_name(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    return "null" if value is None else names.get(type(value), "a number")


def _parse_question(data: Any, line_no: int) -> Question:
    if not isinstance(data, dict):
        raise _LineProblem(f"expected a JSON object, got {_type_name(data)}")
    missing = [key for key in REQUIRED_FIELDS if key not in data]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise _LineProblem(f"missing field{plural} " + ", ".join(f"'{k}'" for k in missing))
    for key in ("id", "question", "kind", "answer"):
        if not isinstance(data[key], str):
            raise _LineProblem(f"field '{key}' must be a string, got {_type_name(data[key])}")
        if key != "answer" and not data[key].strip():
            raise _LineProblem(f"field '{key}' is empty")
    must = data["must_contain"]
    if not isinstance(must, list) or not all(isinstance(s, str) and s.strip() for s in must):
        raise _LineProblem("field 'must_contain' must be a list of non-empty strings")
    if not isinstance(data["sources"], list):
        raise _LineProblem(f"field 'sources' must be a list, got {_type_name(data['sources'])}")
    sources = tuple(_parse_source(i, s) for i, s in enumerate(data["sources"]))
    kind = data["kind"].strip()
    if kind == UNANSWERABLE and must:
        raise _LineProblem(
            "kind 'unanswerable' needs an empty must_contain (it expects abstention)"
        )
    return Question(
        id=data["id"].strip(),
        question=data["question"].strip(),
        kind=kind,
        answer=data["answer"],
        must_contain=tuple(must),
        sources=sources,
        line_no=line_no,
        extra={k: v for k, v in data.items() if k not in REQUIRED_FIELDS},
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_source(i: int, data: Any) -> Source:
    where = f"sources[{i}]"
    if not isinstance(data, dict):
        raise _LineProblem(f"{where} must be an object, got {_type_name(data)}")
    document = data.get("document")
    if not isinstance(document, str) or not document.strip():
        raise _LineProblem(f"{where} needs a 'document' (the document id)")
    lines, page = data.get("lines"), data.get("page")
    if lines is not None and not (
        isinstance(lines, list)
        and len(lines) == 2
        and all(_is_int(n) for n in lines)
        and 1 <= lines[0] <= lines[1]
    ):
        raise _LineProblem(f"{where}: 'lines' must be [first, last] with 1 <= first <= last")
    if page is not None and not (_is_int(page) and page >= 1):
        raise _LineProblem(f"{where}: 'page' must be a positive whole number")
    if lines is None and page is None:
        raise _LineProblem(f"{where} needs 'lines' or 'page'")
    return Source(document.strip(), (lines[0], lines[1]) if lines else None, page)


# --- matching -------------------------------------------------------------------------------
