from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from assistant.errors import DocumentError
from assistant.ingest.corpus import list_documents, read_document

ROOT = Path(__file__).resolve().parents[2]


def make_pdf(path: Path, pages: list[str]) -> None:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))


def test_real_corpus_is_found_with_manifest_titles():
    docs = {d.doc_id: d for d in list_documents(ROOT / "corpus")}
    assert set(docs) == {
        "investeringen-2023",
        "planningsmonitor-2024",
        "programmaplan-2022",
        "resultaatmonitor-2025",
        "voortgangsrapportage-2024",
    }
    assert docs["resultaatmonitor-2025"].title.startswith("WOZO-resultaatmonitor")
    assert docs["voortgangsrapportage-2024"].file_type == "md"
    assert all(len(d.fingerprint) == 64 for d in docs.values())


def test_corpus_copy_is_verbatim():
    shared = ROOT.parent / "shared" / "corpus"
    if not shared.exists():
        pytest.skip("../shared/corpus not beside the checkout")
    for path in shared.iterdir():
        assert (ROOT / "corpus" / path.name).read_bytes() == path.read_bytes(), path.name


def test_text_lines_match_the_file_and_pages_are_recovered():
    info = next(d for d in list_documents(ROOT / "corpus") if d.doc_id == "resultaatmonitor-2025")
    doc = read_document(info)
    raw = info.path.read_text(encoding="utf-8").split("\n")
    assert doc.lines[1283] == raw[1283]
    assert "125.300" in doc.lines[1285 - 1] or "125.300" in " ".join(doc.lines[1283:1286])
    # a line starting with a single space starts a new page
    assert doc.pages[0] == 1
    assert doc.pages[60] == 2  # line 61 " Samenvatting: ... actielijn 4 en 5"
    assert doc.pages[-1] > 40
    assert list(doc.pages) == sorted(doc.pages)


def test_markdown_has_no_pages(tmp_path):
    (tmp_path / "a.md").write_text("# Kop\n\nTekst over zorg.\n", encoding="utf-8")
    doc = read_document(list_documents(tmp_path)[0])
    assert doc.lines == ("# Kop", "", "Tekst over zorg.")
    assert doc.pages == (None, None, None)


def test_pdf_gets_real_page_numbers(tmp_path):
    make_pdf(
        tmp_path / "rapport.pdf",
        ["Eerste pagina over wonen.", "Tweede pagina over mantelzorg.", "Derde pagina: budget."],
    )
    doc = read_document(list_documents(tmp_path)[0])
    by_page = {page: line for line, page in zip(doc.lines, doc.pages, strict=True) if line}
    assert "mantelzorg" in by_page[2]
    assert "budget" in by_page[3]
    assert doc.info.file_type == "pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.txt", b"", "empty"),
        ("spaties.md", b"   \n\n  ", "empty"),
        ("binair.txt", b"\x00\x01\x02abc" * 10, "not a text file"),
        ("kapot.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer", "PDF"),
        ("geen.pdf", b"dit is geen pdf", "PDF"),
    ],
)
def test_unusable_files_raise_a_clear_error(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        read_document(list_documents(tmp_path)[0])


def test_encrypted_pdf_is_refused_with_advice(tmp_path):
    from pypdf import PdfReader, PdfWriter

    make_pdf(tmp_path / "open.pdf", ["Geheime tekst."])
    writer = PdfWriter()
    for page in PdfReader(tmp_path / "open.pdf").pages:
        writer.add_page(page)
    writer.encrypt(user_password="geheim", algorithm="RC4-128")
    target = tmp_path / "sub"
    target.mkdir()
    with open(target / "dicht.pdf", "wb") as fh:
        writer.write(fh)
    with pytest.raises(DocumentError, match=r"password|encrypted"):
        read_document(list_documents(target)[0])


def test_windows_1252_text_is_read(tmp_path):
    (tmp_path / "oud.txt").write_bytes("Cliënten en één zorgaanbieder".encode("cp1252"))
    doc = read_document(list_documents(tmp_path)[0])
    assert doc.lines[0] == "Cliënten en één zorgaanbieder"


def test_readme_and_manifest_are_not_documents(tmp_path):
    (tmp_path / "README.md").write_text("# uitleg", encoding="utf-8")
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    (tmp_path / "notities.docx").write_bytes(b"PK")
    (tmp_path / "echt.txt").write_text("inhoud", encoding="utf-8")
    assert [d.doc_id for d in list_documents(tmp_path)] == ["echt"]
