"""Accent- and case-insensitive search, portable between SQLite and PostgreSQL: names are stored
once more in a normalised form ("Hélène" is kept as "helene") and searched in that form."""

import unicodedata


def normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().replace("’", "'").split())
