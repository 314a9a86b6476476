"""The rule of a period of funders' figures, in one place for the forms, the services and the
scheduled tasks: within the programme's dates, its end not before its start."""

import datetime

from django.utils.formats import date_format

INVERSEE = "La fin de la période doit suivre son début."


def date_longue(jour: datetime.date) -> str:
    """« 1er janvier 2026 », « 31 décembre 2028 »."""
    return f"{'1er' if jour.day == 1 else jour.day} {date_format(jour, 'F Y')}"


def erreurs_periode(dispositif, debut: datetime.date | None, fin: datetime.date | None) -> dict:
    """What is wrong with the period [debut, fin] of `dispositif`'s figures, in French, per field
    ({"debut": [...], "fin": [...]}; empty when it is valid). A missing date is not judged here."""
    erreurs = {}
    if dispositif is not None:
        if debut and debut < dispositif.date_debut:
            erreurs.setdefault("debut", []).append(
                f"Le dispositif commence le {date_longue(dispositif.date_debut)}\u00a0: "
                "la période ne peut pas commencer avant."
            )
        if fin and fin > dispositif.date_fin:
            erreurs.setdefault("fin", []).append(
                f"Le dispositif se termine le {date_longue(dispositif.date_fin)}\u00a0: "
                "la période ne peut pas finir après."
            )
    if debut and fin and fin < debut:
        erreurs.setdefault("fin", []).append(INVERSEE)
    return erreurs
