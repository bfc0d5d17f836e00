"""The one vocabulary of the corpus: abbreviations, synonyms, months, provinces, number words.

Fact ranking (assistant.facts.rank), evidence scoring (assistant.answer.evidence) and question
parsing (assistant.answer) all read these tables, so a word added here is known everywhere.
Only data lives here; the functions that use it are in `assistant.text.words`.
"""

from __future__ import annotations

# Abbreviations with the ways the documents write them out (the first form is the usual one).
# Fact search adds the first form where the abbreviation is written and the abbreviation where
# any form is; evidence treats the abbreviation and the words of its forms as the same thing.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "wozo": ("wonen ondersteuning en zorg voor ouderen",),
    "set": ("stimuleringsregeling e-health thuis",),
    "stoz": ("stimuleringsregeling technologie in ondersteuning en zorg",),
    "hlo": ("hoofdlijnenakkoord ouderenzorg",),
    "iza": ("integraal zorgakkoord",),
    "gala": ("gezond en actief leven akkoord",),
    "ioc": ("implementatie- en opschalingscoaching", "implementatie en opschalingscoach"),
    "dos": ("domeinoverstijgende samenwerking",),
    "taz": ("arbeidsmarkt in zorg en welzijn",),
    "szgw": ("stimuleringsregeling zorggeschikte woningen",),
    # SWZ stands for two names in the documents
    "swz": ("scheiden wonen en zorg", "scheiden wonen zorg", "stimuleringsregeling wonen en zorg"),
    "mgz": ("medisch generalistische zorg",),
    "elv": ("eerstelijnsverblijf",),
    "grz": ("geriatrische revalidatiezorg",),
    "lat": ("langer actief thuis",),
    "wlz": ("wet langdurige zorg",),
    "wmo": ("wet maatschappelijke ondersteuning",),
    "zvw": ("zorgverzekeringswet",),
    "vpt": ("volledig pakket thuis",),
    "mpt": ("modulair pakket thuis",),
    "pgb": ("persoonsgebonden budget",),
    "nza": ("nederlandse zorgautoriteit",),
    "vws": ("volksgezondheid welzijn en sport",),
    "vv": ("verpleging en verzorging",),
    "sze": ("slimme zorg estafette",),
    "iow": ("investeringsakkoord opleiden wijkverpleging",),
    "soo": ("stimuleringsregeling ontmoetingsruimten in ouderenhuisvesting",),
    "spuk": ("specifieke uitkering",),
    "rvo": ("rijksdienst voor ondernemend nederland",),
}
# Abbreviations that fact search uses but evidence scoring does not (yet): with them, evidence
# changed the answers to 6 benchmark questions (IOW, SOO, SZE, SPUK; one of them, b019, from
# right to wrong). Dropping this set is a behaviour change, to measure with `wozo eval --compare`.
FACT_SEARCH_ONLY = frozenset({"sze", "iow", "soo", "spuk", "rvo"})

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

# Words that frame a question ("Het programmaplan noemt …", "Ik zoek het getal …", "Waar gebeurt
# dat?") without naming what it is about. Left out of the question's informative terms only;
# STOPWORDS also shape the fact table's subjects, so they stay as they are.
# (Words that are Dutch stopwords, such as 'doen', 'zou', 'wil', 'dat', are left out anyway.)
FRAMING_WORDS = {
    "noemt", "noemen", "noemde", "gebeurt", "gebeurd", "gebeuren", "gebeurde", "doet", "deed",
    "zoek", "zoeken", "getal", "cijfer", "kreeg", "kregen", "krijgt", "krijgen", "zouden",
    "even", "weten", "willen", "graag", "benieuwd", "eigenlijk", "vraag",
}  # fmt: skip

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

# Months as the documents write them, with their number ('mrt', 'sept' included).
MONTH_NUMBERS: dict[str, int] = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4,
    "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# The full month names, as a regular-expression alternation.
MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"

PROVINCES = (
    "Groningen|Friesland|Fryslân|Drenthe|Overijssel|Flevoland|Gelderland|Utrecht|Noord-Holland"
    "|Zuid-Holland|Zeeland|Noord-Brabant|Limburg"
)

# Care sectors other than the elderly care these documents are about, and how the documents
# also write them.
SECTORS = {
    "ggz": r"\bggz\b|geestelijke gezondheidszorg",
    "jeugd-ggz": r"\bjeugd-ggz\b",
    "jeugdzorg": r"\bjeugdzorg\b",
    "gehandicaptenzorg": r"\bgehandicaptenzorg\b",
    "kraamzorg": r"\bkraamzorg\b",
    "ziekenhuiszorg": r"\bziekenhuiszorg\b|\bziekenhuizen\b",
    "huisartsenzorg": r"\bhuisartsenzorg\b|\bhuisartsen\b",
}

# Numbers the documents write as words ('in drie regio's', 'dertig Prettig Thuis Teams').
NUMBER_WORDS = (
    "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|dertig|veertig"
    "|vijftig|zestig|zeventig|tachtig|negentig|honderd|duizend|honderden|duizenden"
)

ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5,
    "zesde": 6, "zevende": 7, "achtste": 8, "negende": 9, "tiende": 10,
}  # fmt: skip

# Words of a question about money or a share ('hoeveel geld', 'welk aandeel').
MONEY_WORDS = ("geld", "budget", "bedrag", "euro", "subsidie", "middelen", "miljoen")
PERCENT_WORDS = ("procent", "percentage", "aandeel", "deel")
