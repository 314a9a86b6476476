"""What menages contributes to the household file: who the household is (identity, members,
budget), its path (pre-diagnostics, funders' validations, diagnostics, step changes) and who
intervenes; their timeline events, their part of the right-of-access export and of retention."""

from dateutil.relativedelta import relativedelta
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from comptes.confidentialite import lisible, masquer
from comptes.lecture import rattacher_m2m
from menages import permissions, selectors, services, workflow
from menages.enums import EtatParcours, Partenaire, TypeDiagnostic
from menages.models import (
    Menage,
)
from menages.parties import LATERALE, PRINCIPALE, Action, Evenement, Export, Partie, Section, a_midi

ANONYME = "—"

# The path's records, which the file and the timeline both read, in one query each (`Gabarit`s of menages.selectors). The communes of
# the shown diagnostic are read by the page alone: a prefetch through the many-to-many table for
# every diagnostic costs more.
# Read as prefetches of the household (`menage.diagnostics.all()`...), with the other parts' records
# (menages.parties.Lecture).
PARCOURS = {
    "pre_diagnostics": selectors.PRE_DIAGNOSTICS,
    "validations": selectors.VALIDATIONS,
    "diagnostics": selectors.DIAGNOSTICS,
    "intervenants": selectors.INTERVENANTS,
    "consentements": selectors.CONSENTEMENTS,
}
# All that the file reads.
LECTURES = {
    "membres": selectors.MEMBRES,
    "ressources": selectors.RESSOURCES,
    "dettes": selectors.DETTES,
    "problemes": selectors.PROBLEMES,
    **PARCOURS,
}


def lire(menage, user, lecture):
    lus = lecture.precharger(menage, LECTURES)
    communes = lecture.requete(selectors.COMMUNES_SOUHAITEES.pour(menage.pk))
    lecture.auteurs(lus["pre_diagnostics"], "auteur")
    lecture.auteurs(lus["validations"], "destinataire")
    lecture.auteurs(lus["diagnostics"], "auteur")
    lecture.auteurs(lus["intervenants"], "utilisateur")
    return lambda: _contexte(menage, user, communes)


def _contexte(menage, user, communes) -> dict:
    par_diagnostic = {}
    for lien in communes:
        par_diagnostic.setdefault(lien.diagnostic_id, []).append(lien.commune)
    for d in menage.diagnostics.all():
        rattacher_m2m(d, "besoin_communes", par_diagnostic.get(d.pk, []))
    parcours = menage.numero_parcours
    diagnostics = {}  # the latest of each type in the current path
    for d in menage.diagnostics.all():
        if d.numero_parcours == parcours:
            diagnostics.setdefault(d.type, d)
    diagnostic = diagnostics.get(TypeDiagnostic.ENTREE)
    peut_modifier = user.has_perm("menages.modifier_menage")
    attend_validations = menage.etat == EtatParcours.VALIDATION_FINANCEURS
    return {
        "resume": selectors.resume_anonymise(menage),
        "peut_modifier": peut_modifier,
        # A pre-diagnostic reserved to social workers shows to others that it exists, not what it says.
        "pre_diagnostics": [
            masquer(p, user, garder=True)
            for p in menage.pre_diagnostics.all()
            if p.numero_parcours == parcours
        ],
        "pre_diagnostics_lisibles": {p.pk for p in menage.pre_diagnostics.all() if lisible(user, p)},
        "peut_modifier_pre_diagnostic": user.has_perm("menages.pre_diagnostic"),
        "peut_ajouter_pre_diagnostic": permissions.can_add_pre_diagnostic(user, menage),
        "validations": [v for v in menage.validations.all() if v.numero_parcours == parcours],
        "validations_manquantes": services.validations_manquantes(menage) if attend_validations else [],
        "peut_relancer_validations": attend_validations and user.has_perm("menages.saisir_validation"),
        "diagnostic": diagnostic,
        "diagnostic_domaines": diagnostic.domaines(user) if diagnostic else [],
        "lien_diagnostic": permissions.can_enter_diagnostic(user, menage, diagnostic),
        "lien_diagnostic_sortie": permissions.can_enter_exit_diagnostic(user, menage),
        "diagnostic_sortie": diagnostics.get(TypeDiagnostic.SORTIE),
        "progression": selectors.progression(menage, user),
        "peut_gerer_intervenants": user.has_perm("accompagnement.gerer"),
        "consentements": consentements_par_partenaire(menage),
        "peut_gerer_consentements": user.has_perm("menages.gerer_consentements"),
    }


def consentements_par_partenaire(menage) -> list:
    """(partner, its standing consent or None) for every partner, from the prefetched rows."""
    actifs = {c.partenaire: c for c in menage.consentements.all() if c.actif}
    return [(partenaire, actifs.get(partenaire.value)) for partenaire in Partenaire]


def actions(menage, user, donnees) -> list[Action]:
    """The next steps of the path the reader may take."""
    result = []
    for vers in workflow.next_steps(menage.etat):
        if not permissions.can_transition(user, menage, vers):
            continue
        libelle = workflow.ACTIONS[vers]
        if vers == EtatParcours.VALIDATION_FINANCEURS:
            url = reverse("menages:demander_validations", args=[menage.pk])
            result.append(Action(libelle, url, ordre=100, style="btn-primary"))
        else:
            url = f"{reverse('menages:transition', args=[menage.pk])}?vers={vers}"
            fin = vers in {EtatParcours.REFUSE, EtatParcours.CLOS}
            # During the support, the file's main action is noting a contact (accompagnement's
            # part): the path's next steps are then outlined, not filled.
            suivi = menage.etat in {EtatParcours.ACCOMPAGNEMENT, EtatParcours.RELAIS_SORTANT}
            style = "btn-outline-danger" if fin else "btn-outline-primary" if suivi else "btn-primary"
            result.append(Action(libelle, url, ordre=100, style=style))
    return result


def evenements(menage, user, lecture):
    """Step changes, pre-diagnostics, funders' validations, diagnostics and intervenants."""
    lus = lecture.precharger(menage, {**PARCOURS, "evenements": selectors.EVENEMENTS})
    lecture.auteurs(lus["evenements"], "auteur")
    lecture.auteurs(lus["pre_diagnostics"], "auteur")
    lecture.auteurs(lus["validations"], "destinataire")
    lecture.auteurs(lus["validations"], "saisie_par")
    lecture.auteurs(lus["diagnostics"], "auteur")
    lecture.auteurs(lus["intervenants"], "utilisateur")
    lecture.auteurs(lus["consentements"], "enregistre_par")
    lecture.auteurs(lus["consentements"], "retire_par")

    def construire() -> list[Evenement]:
        events = []
        for e in menage.evenements.all():
            titre = (
                f"{e.get_etat_avant_display()} → {e.get_etat_apres_display()}"
                if e.etat_avant
                else f"Saisine du dispositif (parcours n° {e.numero_parcours})"
            )
            events.append(Evenement(e.date, titre, e.motif, str(e.auteur or "Système")))
        for p in menage.pre_diagnostics.all():
            events.append(
                Evenement(
                    a_midi(p.date),
                    f"Pré-diagnostic ({p.organisation})",
                    "",
                    str(p.auteur),
                    "pre_diagnostic",
                )
            )
        for v in menage.validations.all():
            events.append(
                Evenement(
                    v.demandee_le,
                    f"Validation demandée à {v.financeur}",
                    "",
                    str(v.destinataire or ""),
                    "validation",
                )
            )
            if v.repondue_le:
                events.append(
                    Evenement(
                        v.repondue_le,
                        f"{v.financeur} : {v.get_decision_display().lower()}",
                        v.commentaire,
                        str(v.saisie_par or v.destinataire or v.financeur),
                        "validation",
                    )
                )
        for d in menage.diagnostics.all():
            events.append(Evenement(a_midi(d.date), str(d), "", str(d.auteur), "diagnostic"))
        for i in menage.intervenants.all():
            events.append(
                Evenement(
                    a_midi(i.date_debut),
                    f"{i.get_type_display()} : {i.utilisateur or i.nom_externe or i.organisation}",
                    "",
                    "",
                    "intervenant",
                )
            )
        for c in menage.consentements.all():
            events.append(
                Evenement(
                    a_midi(c.date_consentement),
                    f"Consentement au partage : {c.get_partenaire_display()}",
                    f"Notice remise : {c.version_notice}",
                    str(c.enregistre_par or ""),
                    "consentement",
                )
            )
            if c.date_retrait:
                events.append(
                    Evenement(
                        c.retire_le or a_midi(c.date_retrait),
                        f"Retrait du consentement au partage : {c.get_partenaire_display()}",
                        "Le partenaire n’a plus accès au dossier social depuis ce retrait.",
                        str(c.retire_par or ""),
                        "consentement",
                    )
                )
        return events

    return construire


def export_foyer(menage, retenues) -> dict:
    return {
        "membres": menage.membres.all(),
        "ressources": menage.ressources.all(),
        "dettes": menage.dettes.all(),
        "evenements": menage.evenements.order_by("date"),
    }


def export_parcours(menage, retenues) -> dict:
    """Before the support: the pre-diagnostics, the funders' answers, and the organisations that
    intervene (the recipients of the data; no professional's name)."""
    return {
        "pre_diagnostics": menage.pre_diagnostics.select_related("organisation").order_by("date", "pk"),
        "validations": menage.validations.select_related("financeur").order_by("demandee_le", "pk"),
        "intervenants": menage.intervenants.select_related("organisation").order_by("date_debut", "pk"),
    }


def export_consentements(menage, retenues) -> dict:
    return {"consentements": menage.consentements.order_by("partenaire", "date_consentement", "pk")}


def export_diagnostics(menage, retenues) -> dict:
    """The diagnostics; what the reader may not read is masked by the export itself
    (comptes.confidentialite.masquer_contexte) before the template reads `domaines`."""
    return {"diagnostics": list(menage.diagnostics.order_by("date"))}


def derniere_activite(menage):
    """The referral, or the latest change of step."""
    derniere = menage.evenements.aggregate(m=Max("date"))["m"]
    return max(menage.date_saisine, timezone.localtime(derniere).date()) if derniere else menage.date_saisine


def anonymiser(menage) -> None:
    """Names, contact details and free text of the household, its members, budget, path and
    intervenants go; what the statistics need stays: the year of birth (the whole date for a member
    who came of age while followed), the members' arrival and departure dates."""
    Menage.objects.filter(pk=menage.pk).update(
        nom=f"Ménage anonymisé {menage.reference}",
        nom_recherche=f"menage anonymise {menage.reference.lower()}",
        adresse="",
        telephone="",
        email="",
        orienteur="",
        situation_logement_precision="",
    )
    # The days the household was followed, from its first referral to its path's last event: the
    # figures read a member's age (a child is under 18) and arrival on days within them only.
    premiere_saisine = min([s.date for s in menage.saisines.all()] or [menage.date_saisine])
    dernier_evenement = max(
        [timezone.localtime(e.date).date() for e in menage.evenements.all()] or [timezone.localdate()]
    )
    for membre in menage.membres.all():
        membre.nom = ANONYME
        membre.prenom = ANONYME
        if membre.date_naissance:
            if membre.date_entree is None and membre.date_naissance > premiere_saisine:
                # A child born during the follow-up arrived at birth: its arrival is kept as a date
                # (the figures read it), not derived from a birth date that is about to be rounded.
                membre.date_entree = membre.date_naissance
            arrondie = membre.date_naissance.replace(month=1, day=1)
            majorite = membre.date_naissance + relativedelta(years=18)
            if majorite <= premiere_saisine or arrondie + relativedelta(years=18) > dernier_evenement:
                # Only the year stays, unless rounding would make the member an adult on a day they
                # were followed as a child: a past period's figures read their age on such days.
                membre.date_naissance = arrondie
        membre.save()
    Menage.objects.filter(pk=menage.pk).rafraichir_recherche()
    menage.ressources.update(precision="")
    menage.dettes.update(creancier=ANONYME)
    menage.evenements.update(motif="")
    menage.pre_diagnostics.update(
        situation=ANONYME, difficultes=ANONYME, dispositifs_mobilises="", motif_orientation=ANONYME
    )
    menage.validations.update(commentaire="")
    menage.diagnostics.update(
        **{
            f"observations_{d}": ""
            for d in ("logement", "budget", "droits", "sante", "vie_sociale", "insertion")
        },
        objectifs_envisages="",
    )
    menage.intervenants.update(nom_externe="", fonction="")


PARTIE = Partie(
    app="menages",
    lire=lire,
    sections=(
        Section("identite", "menages/dossier/identite.html", PRINCIPALE, 40, lambda d: d),
        Section("composition", "menages/dossier/composition.html", PRINCIPALE, 50, lambda d: d),
        Section("budget", "menages/dossier/budget.html", PRINCIPALE, 60, lambda d: d),
        Section("pre-diagnostic", "menages/dossier/pre_diagnostic.html", PRINCIPALE, 70, lambda d: d),
        Section("validations", "menages/dossier/validations.html", PRINCIPALE, 80, lambda d: d),
        Section("diagnostic", "menages/dossier/diagnostic.html", PRINCIPALE, 90, lambda d: d),
        Section("intervenants", "menages/dossier/intervenants.html", LATERALE, 10, lambda d: d),
        Section("consentements", "menages/dossier/consentements.html", LATERALE, 15, lambda d: d),
    ),
    actions=actions,
    evenements=evenements,
    exports=(
        Export("pdf/dossier/foyer.html", 10, export_foyer),
        Export("pdf/dossier/parcours.html", 15, export_parcours),
        Export("pdf/dossier/consentements.html", 16, export_consentements),
        Export("pdf/dossier/diagnostics.html", 30, export_diagnostics),
    ),
    derniere_activite=derniere_activite,
    anonymiser=anonymiser,
)
