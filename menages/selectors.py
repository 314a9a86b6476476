"""Reads on households: anonymised summaries, the timeline, counts."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils import timezone

from menages.enums import EtatParcours, LienMembre
from menages.models import (
    Diagnostic,
    EvenementParcours,
    Intervenant,
    Menage,
    PreDiagnostic,
    ValidationFinanceur,
)


def resume_anonymise(menage: Menage) -> dict:
    """What a funder may read about a proposed household: facts, no name, no social note."""
    today = timezone.localdate()
    membres = [m for m in menage.membres.all() if m.est_present]
    adultes = sum(1 for m in membres if m.lien != LienMembre.ENFANT)
    enfants = len(membres) - adultes
    # Summed from the rows (prefetched by the household file, which lists them anyway).
    ressources = sum(r.montant_mensuel for r in menage.ressources.all())
    dettes = sum(d.montant for d in menage.dettes.all())
    return {
        "reference": menage.reference,
        "initiales": menage.initiales,
        "commune": str(menage.commune) if menage.commune else "",
        "bailleur": str(menage.bailleur) if menage.bailleur else "",
        "adultes": adultes,
        "enfants": enfants,
        "problematique": menage.get_problematique_display(),
        "situation_logement": menage.get_situation_logement_display(),
        "source": menage.get_source_orientation_display(),
        "problemes": [p.get_code_display() for p in menage.problemes.all()],
        "eligibilites": [
            label
            for flag, label in (
                (menage.eligible_dalo, "DALO"),
                (menage.accords_collectifs, "accords collectifs"),
                (menage.public_pdalpd, "public du PDALHPD"),
            )
            if flag
        ],
        "ressources_mensuelles": ressources,
        "dettes": dettes,
        "date_saisine": menage.date_saisine,
        "age_dossier_jours": (today - menage.date_saisine).days,
    }


def counts_by_etat(menages) -> dict[str, int]:
    counts = dict(menages.order_by().values_list("etat").annotate(n=Count("pk")))
    return {etat.value: counts.get(etat.value, 0) for etat in EtatParcours}


@dataclass
class EvenementChronologie:
    date: datetime
    titre: str
    detail: str = ""
    auteur: str = ""
    categorie: str = "parcours"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def prefetch_chronologie() -> list[Prefetch]:
    """The household's relations that its timeline reads. The household file prefetches them with
    the household, so that the page and its timeline read each of them once."""
    from accompagnement.models import Accompagnement, ChangementNiveau, ChangementRythme

    return [
        Prefetch("evenements", queryset=EvenementParcours.objects.select_related("auteur")),
        Prefetch("pre_diagnostics", queryset=PreDiagnostic.objects.select_related("auteur", "organisation")),
        Prefetch(
            "validations",
            queryset=ValidationFinanceur.objects.select_related("financeur", "destinataire", "saisie_par"),
        ),
        Prefetch("diagnostics", queryset=Diagnostic.objects.select_related("auteur")),
        Prefetch("intervenants", queryset=Intervenant.objects.select_related("organisation", "utilisateur")),
        Prefetch("accompagnements", queryset=Accompagnement.objects.select_related("iml__partenaire")),
        Prefetch(
            "accompagnements__changements_niveau", queryset=ChangementNiveau.objects.select_related("auteur")
        ),
        Prefetch(
            "accompagnements__changements_rythme", queryset=ChangementRythme.objects.select_related("auteur")
        ),
    ]


def chronologie(
    menage: Menage,
    user,
    *,
    limite: int | None = None,
    contacts=None,
    objectifs=None,
    temps_forts=None,
    documents=None,
) -> list[EvenementChronologie]:
    """Every event of the household, from every organisation, newest first, restricted to what
    `user` may read; the `limite` newest only when given. `menage` has been loaded through
    `Menage.objects.visible_to(user)`. The page that also lists the household's contacts (the
    `limite` newest are enough), objectives, key moments and documents passes them, read through
    their access rule, rather than have them read twice. One query per kind of event, whatever
    their number."""
    prefetch_related_objects([menage], *prefetch_chronologie())
    events = []
    for e in menage.evenements.all():
        titre = (
            f"{e.get_etat_avant_display()} → {e.get_etat_apres_display()}"
            if e.etat_avant
            else f"Saisine du dispositif (parcours n° {e.numero_parcours})"
        )
        events.append(EvenementChronologie(e.date, titre, e.motif, str(e.auteur or "Système")))
    for p in menage.pre_diagnostics.all():
        events.append(
            EvenementChronologie(
                _at(p.date), f"Pré-diagnostic ({p.organisation})", "", str(p.auteur), "pre_diagnostic"
            )
        )
    for v in menage.validations.all():
        events.append(
            EvenementChronologie(
                v.demandee_le,
                f"Validation demandée à {v.financeur}",
                "",
                str(v.destinataire or ""),
                "validation",
            )
        )
        if v.repondue_le:
            events.append(
                EvenementChronologie(
                    v.repondue_le,
                    f"{v.financeur} : {v.get_decision_display().lower()}",
                    v.commentaire,
                    str(v.saisie_par or v.destinataire or v.financeur),
                    "validation",
                )
            )
    for d in menage.diagnostics.all():
        events.append(EvenementChronologie(_at(d.date), str(d), "", str(d.auteur), "diagnostic"))
    for i in menage.intervenants.all():
        qui = i.utilisateur or i.nom_externe or i.organisation
        events.append(
            EvenementChronologie(_at(i.date_debut), f"{i.get_type_display()} : {qui}", "", "", "intervenant")
        )
    events.extend(
        _evenements_accompagnement(
            menage,
            user,
            limite=limite,
            contacts=contacts,
            objectifs=objectifs,
            temps_forts=temps_forts,
            documents=documents,
        )
    )
    events.sort(key=lambda e: e.date, reverse=True)
    return events[:limite]


def _evenements_accompagnement(menage, user, *, limite, contacts, objectifs, temps_forts, documents):
    """The support's events: level and rythme changes, contacts, objectives, key moments,
    documents and committee decisions, each read through its own access rule (confidential notes
    stay hidden)."""
    from accompagnement.models import Contact, Document, Objectif, TempsFort
    from comites.models import PointOrdreDuJour

    if contacts is None:
        contacts = Contact.objects.of_visible_menage(menage, user).select_related("auteur")[:limite]
    if objectifs is None:
        objectifs = Objectif.objects.filter(menage=menage).select_related("auteur")
    if temps_forts is None:
        temps_forts = TempsFort.objects.filter(menage=menage)
    if documents is None:
        documents = Document.objects.of_visible_menage(menage, user).select_related("auteur")

    for a in menage.accompagnements.all():
        for c in a.changements_niveau.all():
            yield EvenementChronologie(
                _at(c.date_effet), f"Niveau : {c}", c.motif, str(c.auteur or ""), "niveau"
            )
        for r in a.changements_rythme.all():
            yield EvenementChronologie(
                _at(r.date), f"Rythme : {r.get_rythme_display().lower()}", r.motif, str(r.auteur or "")
            )
    for c in contacts:
        yield EvenementChronologie(c.date, c.get_type_display(), c.prochaine_etape, str(c.auteur), "contact")
    for o in objectifs:
        yield EvenementChronologie(
            _at(o.date_debut), f"Objectif ({o.get_axe_display().lower()})", o.libelle, str(o.auteur or "")
        )
    for t in temps_forts:
        etat = "réalisé" if t.realise else "prévu"
        yield EvenementChronologie(
            t.date_prevue, f"{t.get_type_display()} ({etat})", t.get_modalite_display(), ""
        )
    for d in documents:
        yield EvenementChronologie(d.depose_le, f"Document déposé : {d.titre}", "", str(d.auteur), "document")
    decisions = (
        PointOrdreDuJour.objects.filter(menage=menage)
        .exclude(decision="")
        .select_related("seance__instance", "decide_par")
        .order_by("-decide_le", "-pk")
    )
    for p in decisions[:limite]:
        titre = f"{p.seance} : {p.get_decision_display().lower()}"
        yield EvenementChronologie(
            p.decide_le, titre, p.decision_commentaire, str(p.decide_par or ""), "comite"
        )
