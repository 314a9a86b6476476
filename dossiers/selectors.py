"""The household file assembled from the parts the apps register (`menages.parties`)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from menages import parties
from menages.parties import Bloc, Lecture


def blocs(menage, user) -> dict:
    """The sections of the household file `user` may read, by column, each with its context; and
    the header's actions. The parts' records are read in one round trip for the whole page, and
    the authors they show in one query."""
    lecture = Lecture()
    preparees = [(p, p.lire(menage, user, lecture) if p.lire else None) for p in parties.parties()]
    lecture.lire()
    lus = []
    actions = []
    for partie, construire in preparees:
        donnees = construire() if construire else None
        for section in partie.sections:
            contexte = section.contexte(donnees)
            if contexte is not None:
                lus.append((section, Bloc(section.template, contexte, section.id)))
        if partie.actions:
            actions.extend(partie.actions(menage, user, donnees))
    lus.sort(key=lambda lu: lu[0].ordre)
    actions.sort(key=lambda a: a.ordre)
    return {
        "principale": [bloc for section, bloc in lus if section.colonne == parties.PRINCIPALE],
        "laterale": [bloc for section, bloc in lus if section.colonne == parties.LATERALE],
        "actions": actions,
        "sections": {bloc.id: bloc.s for section, bloc in lus},
    }


def chronologie(menage, user) -> list:
    """Every event of the household that `user` may read, from every app, newest first. One round
    trip for the records of every kind, whatever their number, and one query for the authors of
    all of them."""
    lecture = Lecture()
    construire = [p.evenements(menage, user, lecture) for p in parties.parties() if p.evenements]
    lecture.lire()
    events = [e for evenements in construire for e in evenements()]
    events.sort(key=lambda e: e.date, reverse=True)
    return events


def dossier_pdf(menage, retenues=None, lecteur=None) -> bytes:
    """The household's own file (right of access): everything the programme holds on it, every
    app's part in turn, without third parties' information (no professional's name, no other
    person than the household's members) and without the records the data protection officer
    withheld (`retenues`: their ids by model label, e.g. {"accompagnement.Contact": {12}}).
    Released to the household, it is whole (`lecteur` None: the household reads its own data);
    produced for a professional (`lecteur`), what they may not read is masked
    (comptes.confidentialite)."""
    from weasyprint import HTML

    from comptes.confidentialite import masquer_contexte

    retenues = retenues or {}

    def contexte(export):
        valeurs = export.contexte(menage, retenues)
        return valeurs if lecteur is None else masquer_contexte(valeurs, lecteur)

    context = {
        "menage": menage,
        "parties": [Bloc(export.template, contexte(export)) for export in parties.exports()],
        "nombre_retenues": sum(len(pks) for pks in retenues.values()),
        "genere_le": timezone.now(),
    }
    html = render_to_string("pdf/dossier.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
