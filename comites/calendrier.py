"""Working days for the committees: sessions never fall on a weekend or a French public holiday.

The public holidays are those of metropolitan France as the `holidays` library computes them
(moving feasts included); the programme's territories have no local holiday of their own."""

import datetime
import functools

import holidays
from django.core.exceptions import ValidationError
from django.utils import formats, timezone


@functools.cache
def _jours_feries(annee: int) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("FR", years=annee, language="fr"))


def jour_ferie(jour: datetime.date) -> str:
    """The name of the public holiday falling on `jour`, or an empty string."""
    return _jours_feries(jour.year).get(jour, "").replace("'", "’")


def est_jour_ouvre(jour: datetime.date) -> bool:
    return jour.weekday() < 5 and not jour_ferie(jour)


def jour_ouvre_a_partir_du(jour: datetime.date) -> datetime.date:
    """`jour` if it is a working day, otherwise the next working day."""
    while not est_jour_ouvre(jour):
        jour += datetime.timedelta(days=1)
    return jour


def valider_jour_ouvre(date: datetime.date | datetime.datetime) -> None:
    """Refuse a weekend or a public holiday, saying which it is."""
    if isinstance(date, datetime.datetime):
        date = timezone.localtime(date).date() if timezone.is_aware(date) else date.date()
    libelle = formats.date_format(date, "l j F Y")
    if date.day == 1:
        libelle = libelle.replace(" 1 ", " 1er ", 1)
    if date.weekday() >= 5:
        raise ValidationError(
            f"Le {libelle} tombe un week-end : choisissez un jour ouvré (du lundi au vendredi).",
            code="week_end",
        )
    if ferie := jour_ferie(date):
        raise ValidationError(
            f"Le {libelle} est un jour férié ({ferie}) : choisissez un jour ouvré.", code="jour_ferie"
        )
