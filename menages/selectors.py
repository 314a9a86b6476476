"""Reads on households: anonymised summaries, counts, progress between diagnostics."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, StringAgg, Subquery, Sum, Value, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role, TypeOrganisation
from comptes.lecture import Gabarit
from comptes.selectors import dispositifs_courants
from menages.enums import (
    DomaineDiagnostic,
    EtatParcours,
    LienMembre,
    Partenaire,
    Probleme,
    TypeDiagnostic,
    TypeIntervention,
)
from menages.models import (
    ConsentementPartage,
    Dette,
    Diagnostic,
    EffectifBailleur,
    EvenementParcours,
    Intervenant,
    Membre,
    Menage,
    PreDiagnostic,
    ProblemeMenage,
    Ressource,
    ValidationFinanceur,
)

# A household's records as its pages read them, each a `Gabarit` (comptes.lecture): compiled once,
# read with the household's id. Within one household, the models' default orderings without their
# join on the household.
MEMBRES = Gabarit.par(Membre.objects.order_by("date_naissance", "pk"), "menage")
RESSOURCES = Gabarit.par(Ressource.objects.order_by("type", "pk"), "menage")
DETTES = Gabarit.par(Dette.objects.order_by("-montant", "pk"), "menage")
PROBLEMES = Gabarit.par(ProblemeMenage.objects.order_by("code"), "menage")
PRE_DIAGNOSTICS = Gabarit.par(PreDiagnostic.objects.select_related("organisation"), "menage")
VALIDATIONS = Gabarit.par(ValidationFinanceur.objects.select_related("financeur"), "menage")
DIAGNOSTICS = Gabarit.par(Diagnostic.objects.all(), "menage")
INTERVENANTS = Gabarit.par(Intervenant.objects.select_related("organisation"), "menage")
CONSENTEMENTS = Gabarit.par(ConsentementPartage.objects.order_by("date_consentement", "pk"), "menage")
EVENEMENTS = Gabarit.par(EvenementParcours.objects.all(), "menage")
# The communes wished for in the household's diagnostics.
COMMUNES_SOUHAITEES = Gabarit.par(
    Diagnostic.besoin_communes.through.objects.select_related("commune").order_by("commune__nom", "pk"),
    "diagnostic__menage",
)


def rang_par_menage(*ordre):
    """A record's rank among its household's records in `ordre` (1: the first), as a window: the
    first or latest record of each household, on SQLite as on PostgreSQL (where DISTINCT ON was)."""
    return Window(RowNumber(), partition_by=[F("menage_id")], order_by=list(ordre))


def avec_resume(menages):
    """`menages` with what `resume_anonymise` sums and lists read in the same query (a page that
    shows only the summary need not prefetch the resources, debts and difficulties)."""
    de_ce_menage = {"menage": OuterRef("pk")}
    return menages.annotate(
        resume_ressources=Subquery(
            Ressource.objects.filter(**de_ce_menage)
            .order_by()
            .values("menage")
            .annotate(total=Sum("montant_mensuel"))
            .values("total")
        ),
        resume_dettes=Subquery(
            Dette.objects.filter(**de_ce_menage)
            .order_by()
            .values("menage")
            .annotate(total=Sum("montant"))
            .values("total")
        ),
        # The codes joined by commas (a portable aggregate: SQLite as PostgreSQL), or None.
        resume_problemes=Subquery(
            ProblemeMenage.objects.filter(**de_ce_menage)
            .order_by()
            .values("menage")
            .annotate(codes=StringAgg("code", delimiter=Value(",")))
            .values("codes")
        ),
    )


def resume_anonymise(menage: Menage) -> dict:
    """What a funder may read about a proposed household: facts, no name, no social note. The
    sums and the difficulties are read from `menage`'s rows (prefetched by the household file,
    which lists them anyway), or from the household's query (`avec_resume`)."""
    today = timezone.localdate()
    membres = [m for m in menage.membres.all() if m.est_present]
    adultes = sum(1 for m in membres if m.lien != LienMembre.ENFANT)
    enfants = len(membres) - adultes
    if hasattr(menage, "resume_problemes"):
        ressources = menage.resume_ressources or 0
        dettes = menage.resume_dettes or 0
        codes = set(menage.resume_problemes.split(",")) if menage.resume_problemes else set()
    else:
        ressources = sum(r.montant_mensuel for r in menage.ressources.all())
        dettes = sum(d.montant for d in menage.dettes.all())
        codes = {p.code for p in menage.problemes.all()}
    # In the order of the list of difficulties, whichever way they were read.
    problemes = [libelle for code, libelle in Probleme.choices if code in codes]
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
        "problemes": problemes,
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


@dataclass(frozen=True)
class Manque:
    """Something the file lacks, with the page where it is entered."""

    libelle: str
    url: str
    lien: str


def manques_pour_financeurs(menage: Menage) -> list[Manque]:
    """What the funders' email is written from and the file still lacks: the composition (at least
    one member present), the resources and a pre-diagnostic proposing the household."""
    manques = []
    if not any(m.est_present for m in menage.membres.all()):
        manques.append(
            Manque(
                "La composition du ménage : aucune personne présente n’est enregistrée.",
                reverse("menages:composition", args=[menage.pk]),
                "Saisir la composition",
            )
        )
    if not menage.ressources.exists():
        manques.append(
            Manque(
                "Les ressources mensuelles du ménage : aucune n’est enregistrée.",
                reverse("menages:budget", args=[menage.pk]),
                "Saisir les ressources",
            )
        )
    if not consent_aux_financeurs(menage):
        manques.append(
            Manque(
                "Le consentement du ménage au partage de son résumé avec les financeurs.",
                reverse("menages:consentements", args=[menage.pk]),
                "Enregistrer le consentement",
            )
        )
    pre_diagnostics = menage.pre_diagnostics.filter(numero_parcours=menage.numero_parcours)
    if not pre_diagnostics.filter(propose=True).exists():
        dernier = pre_diagnostics.first()
        manques.append(
            Manque(
                "Un pré-diagnostic qui propose le ménage au dispositif.",
                reverse("menages:pre_diagnostic_modifier", args=[menage.pk, dernier.pk])
                if dernier
                else reverse("menages:pre_diagnostic", args=[menage.pk]),
                "Modifier le pré-diagnostic" if dernier else "Saisir le pré-diagnostic",
            )
        )
    return manques


def consent_aux_financeurs(menage: Menage) -> bool:
    """Whether the household's consent to sharing its summary with the funders stands: the
    funders' validation step needs it."""
    return menage.consentements.actifs().filter(partenaire=Partenaire.FINANCEURS).exists()


def financeurs_a_solliciter(menage: Menage) -> list:
    """The funders asked to validate: those whose validation the programme requires, or every funder
    of the programme if it requires none."""
    dispositif = menage.dispositif
    return list(dispositif.financeurs_validation_requise.all()) or list(financeurs_du_dispositif(dispositif))


def financeurs_du_dispositif(dispositif):
    """The programme's own funders, who may validate its households: its funder organisations,
    less a national or regional funder (an organisation with a `FINANCEUR_NATIONAL` user), which
    takes part in the programme only to read its consolidated figures and sees no household."""
    return dispositif.organisations.filter(type=TypeOrganisation.FINANCEUR).exclude(
        utilisateurs__attributions_roles__role=Role.FINANCEUR_NATIONAL
    )


def representants_financeur(financeur):
    """The funder's active representatives who can receive the email."""
    return financeur.utilisateurs.filter(is_active=True, attributions_roles__role=Role.FINANCEUR).exclude(
        email=""
    )


def effets_fin_intervention(intervenant) -> list[str]:
    """What ending `intervenant` will change, beyond its end date: who loses access to the file
    (`MenageQuerySet.visible_to`: landlord staff keep their own landlord's households) and whether
    the household is left without a référent."""
    menage = intervenant.menage
    autres = menage.intervenants.actifs(le=timezone.localdate() + datetime.timedelta(days=1)).exclude(
        pk=intervenant.pk
    )
    effets = []
    organisation = intervenant.organisation
    if (
        organisation is not None
        and organisation.pk != menage.bailleur_id
        and organisation.type != TypeOrganisation.FINANCEUR
        and not autres.filter(organisation=organisation).exists()
    ):
        effets.append(
            f"Plus personne de l’organisation {organisation} n’interviendra auprès du ménage : à partir "
            f"de demain, aucun compte de l’organisation {organisation} n’aura plus accès à ce dossier."
        )
    elif (
        intervenant.type == TypeIntervention.TISF
        and intervenant.utilisateur is not None
        and not autres.filter(utilisateur=intervenant.utilisateur).exists()
    ):
        effets.append(f"À partir de demain, {intervenant.utilisateur} n’aura plus accès à ce dossier.")
    if (
        intervenant.type == TypeIntervention.REFERENT
        and not autres.filter(type=TypeIntervention.REFERENT).exists()
    ):
        effets.append("Le ménage n’aura plus de travailleur social référent.")
    return effets


def nombres_par_etat(menages) -> dict[str, int]:
    """How many of `menages` are at each step of the path, zeros included."""
    counts = dict(menages.order_by().values_list("etat").annotate(n=Count("pk")))
    return {etat.value: counts.get(etat.value, 0) for etat in EtatParcours}


def nombres_par_etat_visibles(user) -> dict[str, int]:
    """How many of the households `user` may open (`visible_to`) are at each step, zeros included.
    A landlord's staff's are read from the kept counts (`EffectifBailleur`), a few rows, rather than
    checked one by one against their consent (12,500 at 50,000 households: 15–20 ms); anyone
    else's are counted."""
    bailleur = Menage.objects.bailleur_seul(user)
    if bailleur is None:
        return nombres_par_etat(Menage.objects.visible_to(user))
    counts = dict(
        EffectifBailleur.objects.filter(bailleur=bailleur, dispositif__in=dispositifs_courants(user))
        .values_list("etat")
        .annotate(n=Sum("nombre"))
        .order_by()
    )
    return {etat.value: counts.get(etat.value, 0) for etat in EtatParcours}


def progression(menage, lecteur) -> list[tuple[str, int | None, int | None, int | None]]:
    """(domain, entry score, exit score, difference) for the household's current path, as
    `lecteur` may read them (a classified score is « contenu confidentiel »)."""
    from comptes.confidentialite import MASQUE, champs_masques

    diagnostics = {d.type: d for d in menage.diagnostics.all() if d.numero_parcours == menage.numero_parcours}
    entree, sortie = diagnostics.get(TypeDiagnostic.ENTREE), diagnostics.get(TypeDiagnostic.SORTIE)
    if not entree or not sortie:
        return []
    rows = []
    masques = champs_masques(lecteur, entree) | champs_masques(lecteur, sortie)
    for domaine in DomaineDiagnostic:
        if f"score_{domaine.value}" in masques:
            rows.append((domaine.label, MASQUE, MASQUE, MASQUE))
            continue
        a = getattr(entree, f"score_{domaine.value}")
        b = getattr(sortie, f"score_{domaine.value}")
        rows.append((domaine.label, a, b, b - a if a is not None and b is not None else None))
    return rows


class _Locataires:
    """The households seen through the landlord's legal role (the tenant file), for the loader."""

    def __init__(self, queryset):
        self.queryset = queryset

    def visible_to(self, user):
        return self.queryset.locataires_visible_to(user)


def charger_menage(user, pk, *, perm=None, dossier_locatif=False) -> Menage:
    """The household `pk` for a page about it: among those `user` may see (404 otherwise, so that
    its existence is not revealed), after the permission the page needs (403). The tenant file's
    pages (`dossier_locatif=True`) read the households of the landlord's legal role, which needs
    no consent to sharing (`MenageQuerySet.locataires_visible_to`)."""
    from comptes.access import get_visible_or_404

    queryset = Menage.objects.select_related("dispositif", "commune", "bailleur")
    return get_visible_or_404(_Locataires(queryset) if dossier_locatif else queryset, user, perm=perm, pk=pk)


def effets_retrait(consentement) -> list[str]:
    """What withdrawing `consentement` changes, said on the confirmation page before it is done
    (the rule itself: MenageQuerySet.visible_to)."""
    from menages.enums import Partenaire

    menage = consentement.menage
    effets = {
        Partenaire.BAILLEUR: [
            f"Le personnel du bailleur{f' {menage.bailleur}' if menage.bailleur else ''} (CESF, "
            "chargé·e d’attribution) n’aura plus accès au dossier social du ménage, dès sa prochaine "
            "page ouverte.",
            "La CESF du bailleur garde le dossier locatif (réclamations, impayés, procédure "
            "d’expulsion) : il relève du rôle du bailleur, pas du consentement.",
        ],
        Partenaire.IML: [
            "Les travailleurs sociaux du partenaire IML n’auront plus accès au dossier du "
            "ménage, dès leur prochaine page ouverte, même s’ils interviennent auprès de lui.",
        ],
        Partenaire.TISF: [
            "Les TISF n’auront plus accès au dossier du ménage, dès leur prochaine page "
            "ouverte, même si elles interviennent auprès de lui.",
        ],
        Partenaire.FINANCEURS: [
            "Les financeurs ne recevront plus de demande de validation pour ce ménage, et les liens "
            "de validation déjà envoyés n’afficheront plus son résumé.",
        ],
    }[consentement.partenaire]
    return [
        *effets,
        "Le retrait figure dans la chronologie du dossier ; il ne s’annule pas, mais un "
        "nouveau consentement pourra être enregistré.",
    ]
