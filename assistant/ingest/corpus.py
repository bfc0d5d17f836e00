"""Find the documents in the corpus folder, read .txt/.md/.pdf, fingerprint them.

The document id is the file name without extension; citations and benchmark files use it.
`manifest.json` in the corpus folder gives title, kind, period, date and language per id;
documents without an entry get their file name as title.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from assistant.errors import DocumentError
from assistant.schema import DocumentInfo, DocumentText
from assistant.text.sentences import is_page_start

log = logging.getLogger(__name__)

SUPPORTED = {".txt": "txt", ".md": "md", ".pdf": "pdf"}
IGNORED_NAMES = {"readme.md", "manifest.json"}
MANIFEST = "manifest.json"


def load_manifest(corpus_dir: Path) -> dict[str, dict[str, str]]:
    path = corpus_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("Ignoring unreadable manifest %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def list_documents(corpus_dir: Path) -> list[DocumentInfo]:
    """The supported files in `corpus_dir`, sorted by id, each with its fingerprint."""
    if not corpus_dir.is_dir():
        raise DocumentError(f"Corpus folder {corpus_dir} does not exist.")
    manifest = load_manifest(corpus_dir)
    docs = []
    for path in sorted(corpus_dir.iterdir()):
        file_type = SUPPORTED.get(path.suffix.lower())
        if not file_type or not path.is_file() or path.name.lower() in IGNORED_NAMES:
            continue
        if path.name.startswith("."):
            continue
        meta = manifest.get(path.stem, {})
        docs.append(
            DocumentInfo(
                doc_id=path.stem,
                path=path,
                title=meta.get("title") or path.stem,
                kind=meta.get("kind", ""),
                period=meta.get("period", ""),
                date=meta.get("date", ""),
                language=meta.get("language", "nl"),
                file_type=file_type,
                fingerprint=file_fingerprint(path),
            )
        )
    ids = [d.doc_id for d in docs]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise DocumentError(
            f"Two files share the document id(s) {sorted(dupes)}: rename one of them."
        )
    return docs


def file_fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def corpus_fingerprint(docs: list[DocumentInfo]) -> str:
    digest = hashlib.sha256()
    for doc in sorted(docs, key=lambda d: d.doc_id):
        digest.update(f"{doc.doc_id}:{doc.fingerprint}\n".encode())
    return digest.hexdigest()[:16]


def read_document(info: DocumentInfo) -> DocumentText:
    """Read a document into lines with page numbers. Raises DocumentError when unusable."""
    try:
        if info.file_type == "pdf":
            lines, pages = _read_pdf(info.path)
        else:
            text = _decode(info.path)
            lines = tuple(text.split("\n"))
            if lines and lines[-1] == "":
                lines = lines[:-1]
            pages = _text_pages(lines) if info.file_type == "txt" else (None,) * len(lines)
    except OSError as exc:
        raise DocumentError(f"{info.path.name}: cannot be read ({exc}).") from exc
    if not any(line.strip() for line in lines):
        raise DocumentError(f"{info.path.name}: the document has no text.")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    return DocumentText(
        info=info, lines=tuple(lines), pages=tuple(pages), line_offsets=tuple(offsets)
    )


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError(f"{path.name}: the file is empty.")
    if b"\x00" in data[:65536]:
        raise DocumentError(f"{path.name}: this is not a text file (binary content).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > max(10, len(text) // 100):
            raise DocumentError(
                f"{path.name}: unknown text encoding; save the file as UTF-8."
            ) from None
        log.warning("%s is not UTF-8; read it as Windows-1252.", path.name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text_pages(lines: tuple[str, ...]) -> tuple[int | None, ...]:
    """Recover PDF page numbers from a text extraction.

    In these extractions a line that starts with a single space followed by text marks the start
    of a new page. Without any such line the pages are unknown.
    """
    starts = [i for i, line in enumerate(lines) if is_page_start(line)]
    if not starts:
        return (None,) * len(lines)
    pages: list[int | None] = []
    page = 1
    for i, line in enumerate(lines):
        if is_page_start(line) and i > 0:
            page += 1
        pages.append(page)
    return tuple(pages)


def _read_pdf(path: Path) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported crypto
                raise DocumentError(
                    f"{path.name}: the PDF is encrypted; provide an unprotected copy."
                ) from exc
            if not ok:
                raise DocumentError(
                    f"{path.name}: the PDF is password-protected; provide an unprotected copy."
                )
        lines: list[str] = []
        pages: list[int | None] = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            for line in text.split("\n"):
                lines.append(line)
                pages.append(number)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DocumentError(f"{path.name}: the PDF is damaged or not a PDF ({exc}).") from exc
    if not any(line.strip() for line in lines):
        raise DocumentError(
            f"{path.name}: the PDF has no extractable text (a scan?); add a text version."
        )
    return tuple(lines), tuple(pages)
