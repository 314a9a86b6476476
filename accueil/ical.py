"""A minimal iCalendar (RFC 5545) writer for the diary's feed: VCALENDAR and VEVENT, CRLF line
endings, lines folded at 75 octets, text escaped. The feed names no household and no person: an
event's summary is its kind and the household's reference, its description a link into the app."""

import datetime

from django.utils import timezone

from accueil.agenda import Entree

LONGUEUR_LIGNE = 75  # octets, CRLF excluded


def echapper(texte: str) -> str:
    return (
        texte.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def plier(ligne: str) -> str:
    """Fold a content line into lines of at most 75 octets, never inside a UTF-8 character; each
    continuation line begins with a space."""
    morceaux = []
    courant, taille, limite = "", 0, LONGUEUR_LIGNE
    for caractere in ligne:
        octets = len(caractere.encode())
        if taille + octets > limite:
            morceaux.append(courant)
            courant, taille, limite = " ", 1, LONGUEUR_LIGNE
        courant += caractere
        taille += octets
    morceaux.append(courant)
    return "\r\n".join(morceaux)


def _utc(quand: datetime.datetime) -> str:
    return quand.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _evenement(e: Entree, *, lien: str, domaine: str, horodatage: str) -> list[str]:
    resume = f"{e.libelle} – {e.reference}" if e.reference else e.libelle
    lignes = ["BEGIN:VEVENT", f"UID:{e.uid}@{domaine}", f"DTSTAMP:{horodatage}"]
    if isinstance(e.quand, datetime.datetime):
        fin = e.quand + datetime.timedelta(minutes=e.duree_minutes)
        lignes += [f"DTSTART:{_utc(e.quand)}", f"DTEND:{_utc(fin)}"]
    else:
        lendemain = e.quand + datetime.timedelta(days=1)
        lignes += [f"DTSTART;VALUE=DATE:{e.quand:%Y%m%d}", f"DTEND;VALUE=DATE:{lendemain:%Y%m%d}"]
    lignes += [
        f"SUMMARY:{echapper(resume)}",
        f"DESCRIPTION:{echapper(f'{e.type}. Ouvrir dans l’application (connexion requise) : {lien}')}",
        f"URL:{lien}",
        "TRANSP:OPAQUE" if isinstance(e.quand, datetime.datetime) else "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return lignes


def calendrier(entrees: list[Entree], *, base_url: str, domaine: str) -> str:
    """The feed of these entries; `base_url` (scheme and host) makes the links absolute."""
    horodatage = _utc(timezone.now())
    lignes = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ASEA Aude//Mon agenda//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{echapper('ASEA – mon agenda')}",
        "X-WR-TIMEZONE:Europe/Paris",
    ]
    for e in entrees:
        lignes += _evenement(e, lien=base_url + e.lien, domaine=domaine, horodatage=horodatage)
    lignes.append("END:VCALENDAR")
    return "".join(plier(ligne) + "\r\n" for ligne in lignes)
