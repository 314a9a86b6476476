"""Accent- and case-insensitive search, portable between SQLite and PostgreSQL: names are stored
once more in a normalised form ("Hélène" is kept as "helene") and searched in that form."""

import unicodedata


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().replace("’", "'").split())


# Joins the names in the search text. normalize() folds any whitespace to one space, so no
# normalised query can contain it, and a match never runs from one name into the next.
SEPARATEUR = "\n"


def texte_recherche(nom: str, reference: str, noms_membres) -> str:
    """What the household list's search looks into: the household's name, its reference and the
    names of all its members (past ones too), normalised and joined in one column. One column lets
    PostgreSQL answer `LIKE '%…%'` from a single trigram index instead of joining the members."""
    return SEPARATEUR.join([normalize(nom), normalize(reference), *(normalize(n) for n in noms_membres)])
