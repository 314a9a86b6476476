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

    # The timeline shows dozens of dates: formatted here, they cost a tenth of the `date` filter.
    @property
    def date_iso(self) -> str:
        """As `{{ date|date:"c" }}`: ISO 8601, in the current time zone."""
        return timezone.localtime(self.date).isoformat()

    @property
    def jour(self) -> str:
        """As `{{ date|date:"d/m/Y" }}`, in the current time zone."""
        return timezone.localtime(self.date).strftime("%d/%m/%Y")


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def prefetch_dossier() -> list[Prefetch]:
    """The household's relations that its file shows (besides members and budget). Their authors
    are not joined: `auteurs_du_dossier` reads them all in one query (see `_attach_users`)."""
    from accompagnement.models import Accompagnement

    return [
        Prefetch("pre_diagnostics", queryset=PreDiagnostic.objects.select_related("organisation")),
        Prefetch("validations", queryset=ValidationFinanceur.objects.select_related("financeur")),
        Prefetch("diagnostics", queryset=Diagnostic.objects.all()),
        Prefetch("intervenants", queryset=Intervenant.objects.select_related("organisation")),
        Prefetch("accompagnements", queryset=Accompagnement.objects.select_related("iml__partenaire")),
        "accompagnements__changements_niveau",
    ]


def prefetch_chronologie() -> list[Prefetch]:
    """The household's relations that its timeline reads: those of its file, the changes of step
    and the changes of rythme."""
    return [
        *prefetch_dossier(),
        Prefetch("evenements", queryset=EvenementParcours.objects.all()),
        "accompagnements__changements_rythme",
    ]


def _attach_users(*groups) -> None:
    """Set on each record of `groups` ((records, field name) pairs) the user its field points to,
    all of them read in one query. The household file shows who wrote a dozen kinds of records,
    mostly the same few people: a join to the user table in each of their queries costs more than
    this one query. Fields already loaded are left as they are."""
    from comptes.models import Utilisateur

    pending = []
    for records, name in groups:
        for record in records:
            field = record._meta.get_field(name)
            if not field.is_cached(record):
                pending.append((record, field))
    ids = {getattr(record, field.attname) for record, field in pending} - {None}
    users = Utilisateur.objects.order_by().in_bulk(ids) if ids else {}
    for record, field in pending:
        field.set_cached_value(record, users.get(getattr(record, field.attname)))


def auteurs_du_dossier(menage: Menage, contacts) -> None:
    """Set the authors the household file shows (pre-diagnostics, validations, diagnostics,
    intervenants, contacts), read in one query. `menage` carries `prefetch_dossier()`."""
    _attach_users(
        (menage.pre_diagnostics.all(), "auteur"),
        (menage.validations.all(), "destinataire"),
        (menage.diagnostics.all(), "auteur"),
        (menage.intervenants.all(), "utilisateur"),
        (contacts, "auteur"),
    )


def chronologie(menage: Menage, user) -> list[EvenementChronologie]:
    """Every event of the household, from every organisation, newest first, restricted to what
    `user` may read. `menage` has been loaded through `Menage.objects.visible_to(user)`. One query
    per kind of event, whatever their number, and one for the authors of all of them."""
    from accompagnement.models import Contact, Document, Objectif, TempsFort
    from comites.models import PointOrdreDuJour

    prefetch_related_objects([menage], *prefetch_chronologie())
    contacts = list(Contact.objects.of_visible_menage(menage, user))
    objectifs = list(Objectif.objects.filter(menage=menage))
    temps_forts = list(TempsFort.objects.filter(menage=menage))
    documents = list(Document.objects.of_visible_menage(menage, user))
    decisions = list(
        PointOrdreDuJour.objects.filter(menage=menage)
        .exclude(decision="")
        .select_related("seance__instance")
        .order_by("-decide_le", "-pk")
    )
    accompagnements = menage.accompagnements.all()
    changements_niveau = [c for a in accompagnements for c in a.changements_niveau.all()]
    changements_rythme = [r for a in accompagnements for r in a.changements_rythme.all()]
    _attach_users(
        (menage.evenements.all(), "auteur"),
        (menage.pre_diagnostics.all(), "auteur"),
        (menage.validations.all(), "destinataire"),
        (menage.validations.all(), "saisie_par"),
        (menage.diagnostics.all(), "auteur"),
        (menage.intervenants.all(), "utilisateur"),
        (changements_niveau, "auteur"),
        (changements_rythme, "auteur"),
        (contacts, "auteur"),
        (objectifs, "auteur"),
        (documents, "auteur"),
        (decisions, "decide_par"),
    )

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
    # The support's events, each record read through its own access rule (confidential notes
    # stay hidden).
    for c in changements_niveau:
        events.append(
            EvenementChronologie(_at(c.date_effet), f"Niveau : {c}", c.motif, str(c.auteur or ""), "niveau")
        )
    for r in changements_rythme:
        events.append(
            EvenementChronologie(
                _at(r.date), f"Rythme : {r.get_rythme_display().lower()}", r.motif, str(r.auteur or "")
            )
        )
    for c in contacts:
        events.append(
            EvenementChronologie(c.date, c.get_type_display(), c.prochaine_etape, str(c.auteur), "contact")
        )
    for o in objectifs:
        events.append(
            EvenementChronologie(
                _at(o.date_debut), f"Objectif ({o.get_axe_display().lower()})", o.libelle, str(o.auteur or "")
            )
        )
    for t in temps_forts:
        etat = "réalisé" if t.realise else "prévu"
        events.append(
            EvenementChronologie(
                t.date_prevue, f"{t.get_type_display()} ({etat})", t.get_modalite_display(), ""
            )
        )
    for d in documents:
        events.append(
            EvenementChronologie(d.depose_le, f"Document déposé : {d.titre}", "", str(d.auteur), "document")
        )
    for p in decisions:
        titre = f"{p.seance} : {p.get_decision_display().lower()}"
        events.append(
            EvenementChronologie(
                p.decide_le, titre, p.decision_commentaire, str(p.decide_par or ""), "comite"
            )
        )
    events.sort(key=lambda e: e.date, reverse=True)
    return events
