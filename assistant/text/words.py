"""Dutch words: tokens, stems, stopwords, the corpus's abbreviations, follow-up questions.

One place for the language knowledge that retrieval, answer composition and abstention share.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

TOKEN_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
BM25_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")  # what bm25s indexes
YEAR_RE = re.compile(r"\b(20[1-4]\d)\b")

# Abbreviations as the documents expand them. Used to expand queries both ways.
ABBREVIATIONS: dict[str, str] = {
    "wozo": "wonen ondersteuning en zorg voor ouderen",
    "set": "stimuleringsregeling e-health thuis",
    "stoz": "stimuleringsregeling technologie in ondersteuning en zorg",
    "hlo": "hoofdlijnenakkoord ouderenzorg",
    "iza": "integraal zorgakkoord",
    "gala": "gezond en actief leven akkoord",
    "ioc": "implementatie- en opschalingscoaching",
    "dos": "domeinoverstijgende samenwerking",
    "taz": "arbeidsmarkt in zorg en welzijn",
    "szgw": "stimuleringsregeling zorggeschikte woningen",
    "swz": "scheiden wonen en zorg stimuleringsregeling wonen en zorg",
    "mgz": "medisch generalistische zorg",
    "elv": "eerstelijnsverblijf",
    "grz": "geriatrische revalidatiezorg",
    "lat": "langer actief thuis",
    "wlz": "wet langdurige zorg",
    "wmo": "wet maatschappelijke ondersteuning",
    "zvw": "zorgverzekeringswet",
    "vpt": "volledig pakket thuis",
    "mpt": "modulair pakket thuis",
    "pgb": "persoonsgebonden budget",
    "nza": "nederlandse zorgautoriteit",
    "vws": "volksgezondheid welzijn en sport",
    "vv": "verpleging en verzorging",
}

# Words for the same thing in questions and documents (a question's "bedrag" is found in a
# passage's "budget"); the fact table maps each group to one search term.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "~geld": ("geld", "bedrag", "bedragen", "budget", "budgetten", "begroot", "begroting",
              "middelen", "euro", "investering", "investeringen", "kost", "kosten"),
    "~aandeel": ("aandeel", "percentage", "procent", "deel"),
    "~plek": ("plek", "plekken", "plaats", "plaatsen"),
    "~inclusief": ("inclusief", "meegerekend", "meegeteld", "inbegrepen"),
    "~uitkomst": ("uitkomst", "uitkomsten", "resultaat", "resultaten", "bevindingen"),
    "~proef": ("proef", "proeven", "pilot", "pilots", "experiment", "experimenten",
               "geëxperimenteerd", "experimenteren"),
}  # fmt: skip

# Words that carry no topic in a question about these documents.
QUESTION_WORDS = {
    "hoeveel",
    "welk",
    "welke",
    "wat",
    "wie",
    "waar",
    "wanneer",
    "hoe",
    "waarom",
    "waarvoor",
    "hoelang",
    "noem",
    "geef",
    "vertel",
    "is",
    "zijn",
    "wordt",
    "worden",
    "werd",
    "werden",
    "staat",
    "stond",
    "er",
    "ook",
    "nog",
    "volgens",
    "daarvan",
    "daarbij",
    "precies",
    "document",
    "documenten",
    "monitor",
    "rapport",
    "rapportage",
    "genoemd",
    "vermeld",
    "gaat",
    "gingen",
    "ging",
    "komt",
    "kwam",
    "hebben",
    "heeft",
    "had",
    "hadden",
    "kan",
    "kunnen",
    "moet",
    "moeten",
    "zal",
    "zullen",
    "uit",
    "over",
    "totaal",
    "ongeveer",
    "dan",
    "dit",
    "deze",
}
STOPWORDS = set(STOPWORDS_DUTCH) | QUESTION_WORDS

# Words that frame a question ("Het programmaplan noemt …", "Ik zoek het getal …", "Waar gebeurt
# dat?") without naming what it is about. Left out of the question's informative terms only;
# STOPWORDS also shape the fact table's subjects, so they stay as they are.
# (Words that are Dutch stopwords, such as 'doen', 'zou', 'wil', 'dat', are left out anyway.)
FRAMING_WORDS = {
    "noemt", "noemen", "noemde", "gebeurt", "gebeurd", "gebeuren", "gebeurde", "doet", "deed",
    "zoek", "zoeken", "getal", "cijfer", "kreeg", "kregen", "krijgt", "krijgen", "zouden",
    "even", "weten", "willen", "graag", "benieuwd", "eigenlijk", "vraag",
}  # fmt: skip
FOLLOW_UP_RE = re.compile(
    r"^\s*(en|maar|ook|of)\b|\b(daarvan|daarin|daarbij|daarvoor|hetzelfde|dezelfde)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def fold(text: str) -> str:
    """Lowercase without accents: 'Cliënten' -> 'clienten'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(fold(text))


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


# Short forms the documents use for words questions spell out.
EQUIVALENTS = {
    "incl": "inclusief", "excl": "exclusief", "mln": "miljoen", "ca": "circa", "max": "maximaal",
}  # fmt: skip


# Past tenses the stemmer leaves apart from the present ('verbleef' and 'verblijf' stem
# differently): a question asks 'welk deel verbleef', the table says 'aandeel verblijf'.
PAST_TENSES = {
    past: present
    for present, forms in {
        "verblijf": "verbleef verbleven", "blijf": "bleef bleven", "woon": "woonde woonden",
        "trek": "trok trokken", "begin": "begon begonnen", "krijg": "kreeg kregen",
        "kom": "kwam kwamen", "loop": "liep liepen", "geef": "gaf gaven", "neem": "nam namen",
        "zeg": "zei zeiden", "vind": "vond vonden", "sluit": "sloot sloten",
        "bied": "bood boden", "kies": "koos kozen", "schrijf": "schreef schreven",
        "houd": "hield hielden", "laat": "liet lieten", "val": "viel vielen",
        "lijk": "leek leken", "stijg": "steeg stegen", "daal": "daalde daalden",
        "ken": "kende kenden", "lever": "leverde leverden", "tel": "telde telden",
        "bedraag": "bedroeg bedroegen", "draag": "droeg droegen", "kondig": "kondigde kondigden",
    }.items()
    for past in forms.split()
}  # fmt: skip


def analyze(text: str) -> list[str]:
    """Tokens as the BM25 index sees them: lowercased, Dutch-stemmed (so IDF lookups match)."""
    words = [EQUIVALENTS.get(w, w) for w in BM25_TOKEN_RE.findall(text.lower())]
    return _stemmer().stemWords([PAST_TENSES.get(w, w) for w in words])


@lru_cache(maxsize=1)
def _synonym_stems() -> dict[str, tuple[str, ...]]:
    groups = [tuple(dict.fromkeys(stem(w) for w in words)) for words in SYNONYMS.values()]
    return {s: group for group in groups for s in group}


def synonym_stems(term: str) -> tuple[str, ...]:
    """The stems that stand for the same thing as the stem `term` (itself included)."""
    return _synonym_stems().get(term, (term,))


@lru_cache(maxsize=1)
def _abbreviation_stems() -> tuple[tuple[str, frozenset[str]], ...]:
    out = []
    for short, long in ABBREVIATIONS.items():
        words = [w for w in BM25_TOKEN_RE.findall(long) if w not in STOPWORDS]
        out.append((short, frozenset(stem(w) for w in words)))
    return tuple(out)


def with_abbreviations(stems: set[str]) -> set[str]:
    """`stems` (of a text) with each abbreviation's expansion added, and the other way round.

    'grz' in a passage answers a question about 'geriatrische revalidatiezorg', and a passage
    that writes 'domeinoverstijgende samenwerking' out answers a question about 'DOS'.
    """
    out = set(stems)
    for short, long in _abbreviation_stems():
        if short in stems:
            out |= long
        elif long and long <= stems:
            out.add(short)
    return out


def content_terms(text: str) -> list[str]:
    """The informative stems of a question: no stopwords or question words, numbers kept."""
    out = []
    for tok in BM25_TOKEN_RE.findall(text.lower()):
        if tok in STOPWORDS or fold(tok) in STOPWORDS or tok in FRAMING_WORDS:
            continue
        term = stem(PAST_TENSES.get(tok, tok))
        if term not in out:
            out.append(term)
    return out


def expand_abbreviations(text: str) -> str:
    """Append the expansion of every abbreviation in the text (for search, not for display)."""
    extra = [ABBREVIATIONS[t] for t in dict.fromkeys(tokens(text)) if t in ABBREVIATIONS]
    return f"{text} ({'; '.join(extra)})" if extra else text


def mentioned_documents(question: str, doc_ids: Iterable[str]) -> dict[str, str]:
    """Words of the question that name a document, each with its document id.

    A document id is '<name>-<year>' ('programmaplan-2022'); a word names the document when it
    is the name or a compound that starts with the name's stem ('de investeringstabel' names
    'investeringen-2023', 'de voortgangsrapportage' names 'voortgangsrapportage-2024').
    """
    names = {}  # name -> (its stem, doc id)
    for doc_id in doc_ids:
        name = re.sub(r"-\d{4}$", "", doc_id)
        if len(name) >= 6 and "-" not in name:
            names[fold(name)] = (stem(fold(name)), doc_id)
    found: dict[str, str] = {}
    for token in tokens(question):
        for part in token.split("-"):
            for name, (root, doc_id) in names.items():
                compound = len(root) >= 6 and part.startswith(root) and len(part) > len(name)
                if part == name or compound:
                    found[part] = doc_id
    return found


# A word written with a capital that does not start a sentence.
CAPITALISED_RE = re.compile(r"(?<![.?!:]\s)(?<!^)\b[A-Z][\w-]*", re.UNICODE)


def name_terms(question: str, document_words: Collection[str] = ()) -> list[str]:
    """Stems of the names in a question: words written with a capital, not the first word.

    'Groningen', 'Erasmus', 'STOZ', 'DOS': what the question is about by name. A name the
    answer does not mention is a strong sign that the passage is about something else.
    Words that name a document (`document_words`, the keys of `mentioned_documents`: 'het
    Programmaplan') are left out.
    """
    named = set(document_words)
    out = []
    for match in CAPITALISED_RE.finditer(question.strip()):
        capitals = [p for p in match.group(0).split("-") if p[:1].isupper()]  # 'STOZ-regeling'
        for word in BM25_TOKEN_RE.findall(" ".join(capitals).lower()):
            if word in STOPWORDS or word in named or fold(word) in STOPWORDS:
                continue
            term = stem(word)
            if term not in out:
                out.append(term)
    return out


def years(text: str) -> list[str]:
    return YEAR_RE.findall(text)


def resolve_follow_up(question: str, history: list[tuple[str, str]] | None) -> str:
    """Turn a follow-up like 'en in 2026?' into a full question using the previous one.

    A short question or one that points back ('dat', 'daarvan') is joined to the previous
    question; a year in the follow-up replaces the previous question's year.
    """
    if not history:
        return question
    previous = history[-1][0]
    terms = content_terms(question)
    if len(terms) > 1 and not FOLLOW_UP_RE.search(question):
        return question
    new_years = years(question)
    if new_years and years(previous):
        rewritten = YEAR_RE.sub(new_years[0], previous, count=1)
        rest = [t for t in terms if t not in new_years]
        return rewritten if not rest else f"{rewritten} {question}"
    return f"{previous} {question}"
