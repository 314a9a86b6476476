"""The eviction procedure's rules: its steps come in their legal order, each dated on or after the
one before, and the winter truce (code des procédures civiles d'exécution, L. 412-6) forbids
carrying out an eviction from 1 November to 31 March. Pure functions on (step, date) pairs: the
services apply them before writing."""

import datetime

from django.core.exceptions import ValidationError

from logements.enums import EtapeProcedure as E
from logements.importation import typographie
from logements.selectors import en_treve_hivernale, treve_hivernale

RANG = {valeur: rang for rang, valeur in enumerate(E.values)}

# The steps a later step cannot do without: a judgement needs a summons, leaving the premises an
# order after the judgement, and so on. The CCAPEX referral and the order to pay may be missing
# (a procedure for neighbour disturbances has no order to pay).
OBLIGATOIRES = (E.ASSIGNATION, E.JUGEMENT, E.COMMANDEMENT_QUITTER, E.CONCOURS_FORCE_PUBLIQUE)


def format_date(jour: datetime.date) -> str:
    return f"{jour:%d/%m/%Y}"


def _libelle(valeur) -> str:
    return f"« {E(valeur).label} »"


def _manquante(valeur, deja) -> str | None:
    """The first compulsory step before `valeur` that is not among `deja`."""
    for requise in OBLIGATOIRES:
        if RANG[requise] < RANG[valeur] and requise not in deja:
            return requise
    return None


def verifier_suite(etapes: list[tuple[str, datetime.date]]) -> None:
    """Raise a ValidationError (in French, with the reason) unless `etapes`, taken by date, follow
    the legal order with no compulsory step missing."""
    deja, precedente = set(), None
    for valeur, jour in sorted(etapes, key=lambda e: (e[1], RANG[e[0]])):
        if precedente and RANG[valeur] < RANG[precedente[0]]:
            raise ValidationError(
                typographie(
                    f"{_libelle(valeur)} du {format_date(jour)} ne peut pas suivre {_libelle(precedente[0])} "
                    f"du {format_date(precedente[1])} : les étapes de la procédure se suivent dans l’ordre légal."
                )
            )
        manquante = _manquante(valeur, deja)
        if manquante:
            raise ValidationError(
                typographie(
                    f"Il manque l’étape {_libelle(manquante)} avant {_libelle(valeur)} : enregistrez d’abord "
                    "les étapes précédentes de la procédure."
                )
            )
        deja.add(valeur)
        precedente = (valeur, jour)


def verifier_nouvelle(existantes: list[tuple[str, datetime.date]], valeur, jour: datetime.date) -> None:
    """A step added after `existantes`: dated on or after the last one, in the legal order."""
    if existantes:
        derniere = max(existantes, key=lambda e: (e[1], RANG[e[0]]))
        if jour < derniere[1]:
            raise ValidationError(
                {
                    "date": typographie(
                        f"L’étape ne peut pas être datée avant la précédente, {_libelle(derniere[0])} "
                        f"du {format_date(derniere[1])}."
                    )
                }
            )
    try:
        verifier_suite([*existantes, (valeur, jour)])
    except ValidationError as exc:
        raise ValidationError({"etape": exc.messages}) from exc


def verifier_treve(valeur, jour: datetime.date, aujourdhui: datetime.date) -> list[str]:
    """Refuse what the truce forbids (an eviction carried out during it, or a step in the future);
    return the warnings for the rest of the steps dated during a truce."""
    if jour > aujourdhui:
        raise ValidationError(
            {
                "date": typographie(
                    "Une étape est enregistrée une fois réalisée : sa date ne peut pas être dans le futur."
                )
            }
        )
    if not en_treve_hivernale(jour):
        return []
    debut, fin = treve_hivernale(jour)
    if valeur == E.EXPULSION:
        raise ValidationError(
            {
                "date": typographie(
                    f"Aucune expulsion ne peut être exécutée pendant la trêve hivernale (du "
                    f"{format_date(debut)} au {format_date(fin)}) : vérifiez la date."
                )
            }
        )
    return [
        typographie(
            f"Trêve hivernale : l’étape {_libelle(valeur)} est datée du {format_date(jour)}, pendant la trêve "
            f"(du {format_date(debut)} au {format_date(fin)}). L’expulsion ne pourra pas être exécutée "
            f"avant le {format_date(fin + datetime.timedelta(days=1))}."
        )
    ]
