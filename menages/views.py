import datetime

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.cache import never_cache

from comptes.access import require_perm
from comptes.confidentialite import lignes_journal, lisibles, retirer_champs
from comptes.formats import format_euros
from comptes.selectors import dispositifs_de, utilisateurs_administrables
from comptes.widgets import rendre_resultats
from menages import selectors, services, workflow
from menages.enums import DecisionFinanceur, EtatParcours, ModeReponse, TypeDiagnostic
from menages.filters import MenageFilter
from menages.forms import (
    ConsentementForm,
    DetteFormSet,
    DiagnosticForm,
    MembreFormSet,
    MenageForm,
    PreDiagnosticForm,
    ReponseManuelleForm,
    ReponsePubliqueForm,
    RessourceFormSet,
    TransitionForm,
)
from menages.models import (
    Dette,
    Menage,
    Ressource,
    ValidationFinanceur,
)
from menages.permissions import can_transition
from menages.selectors import charger_menage, consent_aux_financeurs
from menages.tokens import LienInvalide, read_token

# Where what a refused step change asks for is done, by the refusal's code: the link's wording and
# its address for the household.
REMEDES = {
    "pre_diagnostic": ("Saisir le pré-diagnostic", lambda m: reverse("menages:pre_diagnostic", args=[m.pk])),
    "refus": (
        "Enregistrer le refus",
        lambda m: f"{reverse('menages:transition', args=[m.pk])}?vers={EtatParcours.REFUSE}",
    ),
    "validations_manquantes": (
        "Saisir une réponse reçue",
        lambda m: reverse("menages:reponse_manuelle", args=[m.pk]),
    ),
    "diagnostic": ("Saisir le diagnostic approfondi", lambda m: reverse("menages:diagnostic", args=[m.pk])),
    "date_adhesion": (
        "Saisir la date d’adhésion",
        lambda m: f"{reverse('menages:modifier', args=[m.pk])}#id_date_adhesion",
    ),
    "soumission": (
        "Soumettre aux financeurs",
        lambda m: reverse("menages:demander_validations", args=[m.pk]),
    ),
    "reponse_financeur": (
        "Saisir une réponse reçue",
        lambda m: reverse("menages:reponse_manuelle", args=[m.pk]),
    ),
    "comite": ("Demander une décision au comité", lambda m: reverse("comites:demande", args=[m.pk])),
    "ajournement": (
        "Renvoyer au diagnostic après l’ajournement",
        lambda m: reverse("comites:renvoi_diagnostic", args=[m.pk]),
    ),
}


def refus_avec_lien(exc: ValidationError, menage):
    """The refusal's text, each requirement followed by a link to the page where it is met; built
    with format_html, so the messages and form templates show the link and escape everything else.
    It is shown in an alert, whose own link colour keeps the contrast."""
    parts = []
    for error in exc.error_list:
        texte = " ".join(error)
        remede = REMEDES.get(error.code)
        if remede:
            libelle, url = remede
            parts.append(
                format_html('{} <a class="alert-link" href="{}">{}</a>', texte, url(menage), libelle)
            )
        else:
            parts.append(texte)
    return format_html_join(" ", "{}", ((p,) for p in parts))


@never_cache
def creer(request):
    require_perm(request.user, "menages.creer_menage")
    # The household is created in the current programme (chosen in the header), by anyone,
    # administrators included.
    dispositif = dispositifs_de(request.user).order_by("nom").first()
    if dispositif is None:
        raise PermissionDenied
    form = MenageForm(request.POST or None, dispositif=dispositif, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        problemes = data.pop("problemes")
        version_notice = data.pop("version_notice", "")
        consentement_bailleur = data.pop("consentement_bailleur", False)
        try:
            menage = services.creer_menage(
                dispositif=dispositif,
                auteur=request.user,
                problemes=problemes,
                consentement_bailleur=version_notice if consentement_bailleur else None,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if Menage.objects.visible_to(request.user).filter(pk=menage.pk).exists():
                messages.success(request, f"Le ménage {menage.nom} est enregistré ({menage.reference}).")
                return redirect(menage)
            messages.success(
                request,
                f"Le ménage {menage.nom} est enregistré ({menage.reference}). Sans son consentement au "
                "partage avec le bailleur, son dossier social reste à l’association ; vous gardez son "
                "dossier locatif.",
            )
            return redirect("dossiers:liste")
    return render(request, "menages/form_menage.html", {"form": form, "titre": "Nouveau ménage"})


@never_cache
def modifier(request, pk):
    menage = charger_menage(request.user, pk, perm="menages.modifier_menage")
    form = MenageForm(request.POST or None, instance=menage, dispositif=menage.dispositif, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        problemes = data.pop("problemes")
        services.modifier_menage(menage=Menage.objects.get(pk=menage.pk), problemes=problemes, **data)
        messages.success(request, "Les informations du ménage sont enregistrées.")
        return redirect(menage)
    return render(
        request, "menages/form_menage.html", {"form": form, "menage": menage, "titre": "Modifier le ménage"}
    )


def _ligne(obj) -> str:
    """A row about to be deleted, as the confirmation names it."""
    if isinstance(obj, Ressource):
        return f"Ressource : {obj.get_type_display()}, {format_euros(obj.montant_mensuel)} par mois"
    if isinstance(obj, Dette):
        return f"Dette : {obj.creancier}, {format_euros(obj.montant)}"
    return f"Membre du ménage : {obj}"


AJOUTER_LIGNE = "ajouter_ligne"


def _avec_une_ligne_de_plus(data, prefix):
    """The posted data with one more empty row in the `prefix` formset (« Ajouter une ligne »,
    which works without JavaScript: the page comes back with what was typed and a new row)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        return data  # the formset reports its damaged management form itself
    data[key] = str(min(total + 1, 1000))
    return data


def _formsets_page(request, menage, formset_classes, template, titre):
    """Rows of the household's file edited together: rows added (several empty rows, and
    « Ajouter une ligne » for more) and rows ticked « Supprimer » in the same form. Deleted rows
    are deleted for good: the first valid POST that deletes shows them, with everything typed
    kept, and only the second (`confirmer_suppression`) saves; the saved message names them
    again. Every row created, changed or deleted is in the audit trail (django-auditlog, with
    the user as actor)."""
    prefixes = list(formset_classes)
    data = request.POST or None
    ajout = request.method == "POST" and request.POST.get(AJOUTER_LIGNE) in prefixes
    if ajout:
        data = _avec_une_ligne_de_plus(request.POST, request.POST[AJOUTER_LIGNE])
    formsets = {prefix: cls(data, instance=menage, prefix=prefix) for prefix, cls in formset_classes.items()}
    if ajout:
        # The new row takes the focus (keyboard and screen readers land on it).
        lignes = formsets[request.POST[AJOUTER_LIGNE]].forms  # none if its management form is damaged
        if lignes:
            next(iter(lignes[-1].fields.values())).widget.attrs["autofocus"] = True
    a_supprimer = []
    if request.method == "POST" and not ajout and all(fs.is_valid() for fs in formsets.values()):
        a_supprimer = [
            _ligne(form.instance) for fs in formsets.values() for form in fs.deleted_forms if form.instance.pk
        ]
        if not a_supprimer or "confirmer_suppression" in request.POST:
            with transaction.atomic():
                for prefix in prefixes:
                    formsets[prefix].save()
            message = "Les modifications sont enregistrées."
            if a_supprimer:
                message += " Supprimé du dossier : " + " ; ".join(a_supprimer) + "."
            messages.success(request, message)
            return redirect(menage)
    context = {
        "menage": menage,
        "formsets": formsets,
        "titre": titre,
        "a_supprimer": a_supprimer,
        "ajout": ajout,
    }
    return render(request, template, context)


@never_cache
def composition(request, pk):
    menage = charger_menage(request.user, pk, perm="menages.modifier_menage")
    return _formsets_page(
        request, menage, {"membres": MembreFormSet}, "menages/formsets.html", "Composition du ménage"
    )


@never_cache
def budget(request, pk):
    menage = charger_menage(request.user, pk, perm="menages.modifier_menage")
    return _formsets_page(
        request,
        menage,
        {"ressources": RessourceFormSet, "dettes": DetteFormSet},
        "menages/formsets.html",
        "Ressources et dettes",
    )


@never_cache
def transition(request, pk):
    menage = charger_menage(request.user, pk, perm="menages.voir_menages")
    vers = request.POST.get("vers") or request.GET.get("vers", "")
    if vers not in EtatParcours.values or not can_transition(request.user, menage, vers):
        raise PermissionDenied
    # Steps with their own checked page are taken there: the submission to the funders, and the
    # steps of a support episode (which follow a committee decision). Whatever is posted here, the
    # service refuses them without that page's checks (menages.workflow).
    if vers in workflow.ETATS_PAR_SOUMISSION:
        return redirect("menages:demander_validations", pk=menage.pk)
    en_cours = menage.accompagnements.filter(date_fin__isnull=True).exists()
    if vers == EtatParcours.ACCOMPAGNEMENT and menage.etat == EtatParcours.PROPOSITION_COMITE:
        return redirect("accompagnement:demarrer", pk=menage.pk)
    if (menage.etat, vers) == workflow.RETOUR_AU_DIAGNOSTIC:
        return redirect("comites:renvoi_diagnostic", menage_pk=menage.pk)
    if en_cours and vers in {EtatParcours.RELAIS_SORTANT, EtatParcours.ACCOMPAGNEMENT}:
        return redirect("accompagnement:niveau", pk=menage.pk)
    if en_cours and vers == EtatParcours.CLOS:
        return redirect("accompagnement:cloture", pk=menage.pk)
    form = TransitionForm(request.POST or None, initial={"vers": vers})
    if request.method == "POST" and form.is_valid():
        try:
            services.changer_etat(
                menage=menage,
                vers=vers,
                auteur=request.user,
                motif=form.cleaned_data["motif"],
                motif_sortie=form.cleaned_data["motif_sortie"],
                motif_refus=form.cleaned_data["motif_refus"],
            )
        except ValidationError as exc:
            form.add_error(None, refus_avec_lien(exc, menage))
        else:
            messages.success(request, f"Le ménage est passé à l’étape « {EtatParcours(vers).label} ».")
            return redirect(menage)
    context = {
        "menage": menage,
        "form": form,
        "vers": EtatParcours(vers),
        "action": workflow.ACTIONS[vers],
    }
    return render(request, "menages/transition.html", context)


@never_cache
def pre_diagnostic(request, pk, pre_pk=None):
    menage = charger_menage(request.user, pk, perm="menages.pre_diagnostic")
    instance = (
        get_object_or_404(lisibles(menage.pre_diagnostics.all(), request.user), pk=pre_pk) if pre_pk else None
    )
    if instance is None and menage.etat not in {EtatParcours.SAISINE, EtatParcours.PRE_DIAGNOSTIC}:
        messages.error(request, "Le pré-diagnostic se fait à la saisine, avant la validation des financeurs.")
        return redirect(menage)
    form = PreDiagnosticForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        services.enregistrer_pre_diagnostic(menage=menage, auteur=request.user, instance=instance, **fields)
        messages.success(request, "Le pré-diagnostic est enregistré.")
        return redirect(menage)
    return render(
        request, "menages/form_simple.html", {"menage": menage, "form": form, "titre": "Pré-diagnostic"}
    )


@never_cache
def demander_validations(request, pk):
    """Submit the household to the funders (or write to representatives not asked yet): GET shows
    what the file still lacks, or who will get the email; POST sends it."""
    menage = charger_menage(request.user, pk, perm="menages.voir_menages")
    relance = menage.etat == EtatParcours.VALIDATION_FINANCEURS
    if not can_transition(request.user, menage, EtatParcours.VALIDATION_FINANCEURS) and not (
        relance and request.user.has_perm("menages.saisir_validation")
    ):
        raise PermissionDenied
    manques = [] if relance else selectors.manques_pour_financeurs(menage)
    if request.method == "POST" and not manques:
        try:
            creees = services.demander_validations(menage=menage, auteur=request.user)
        except ValidationError as exc:
            messages.error(request, refus_avec_lien(exc, menage))
        else:
            s = "s" if len(creees) > 1 else ""
            messages.success(request, f"{len(creees)} demande{s} de validation envoyée{s} par courriel.")
        return redirect(menage)
    deja = set(
        menage.validations.en_attente()
        .filter(numero_parcours=menage.numero_parcours)
        .values_list("destinataire_id", flat=True)
    )
    financeurs = [
        (financeur, list(selectors.representants_financeur(financeur).order_by("last_name", "first_name")))
        for financeur in selectors.financeurs_a_solliciter(menage)
    ]
    context = {
        "menage": menage,
        "relance": relance,
        "manques": manques,
        "financeurs": financeurs,
        "deja": deja,
        "a_ecrire": sum(1 for _, reps in financeurs for r in reps if r.pk not in deja),
        "resume": selectors.resume_anonymise(menage),
        "validite_jours": menage.dispositif.validite_lien_validation_jours,
    }
    return render(request, "menages/demander_validations.html", context)


@never_cache
def reponse_manuelle(request, pk):
    menage = charger_menage(request.user, pk, perm="menages.saisir_validation")
    if menage.etat != EtatParcours.VALIDATION_FINANCEURS:
        messages.error(request, "Ce ménage n’attend pas de validation des financeurs.")
        return redirect(menage)
    form = ReponseManuelleForm(request.POST or None, dispositif=menage.dispositif)
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_reponse_manuelle(menage=menage, auteur=request.user, **form.cleaned_data)
        except services.ReponseImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "La réponse du financeur est enregistrée.")
            return redirect(menage)
    return render(
        request,
        "menages/form_simple.html",
        {"menage": menage, "form": form, "titre": "Réponse d’un financeur"},
    )


@login_not_required
@never_cache
def validation_publique(request, token):
    """The page a funder reaches from the email. GET only shows (mail scanners open links); the
    answer is recorded on POST, once."""
    erreur = None
    validation = None
    decision = None
    try:
        validation_id, decision = read_token(token)  # the signature first, to find the programme
        validation = (
            ValidationFinanceur.objects.select_related("menage__dispositif", "financeur", "destinataire")
            .filter(pk=validation_id)
            .first()
        )
        if validation is None:
            raise LienInvalide("Cette demande de validation n’existe plus.")
        read_token(
            token,
            max_age=datetime.timedelta(days=validation.menage.dispositif.validite_lien_validation_jours),
        )
    except LienInvalide as exc:
        erreur = str(exc)
    if erreur is None and not consent_aux_financeurs(validation.menage):
        # Consent withdrawn since the email: the funders no longer read the summary.
        erreur = (
            "Cette demande de validation n’est plus disponible. L’équipe du dispositif vous recontactera."
        )
    elif erreur is None and not validation.en_attente:
        erreur = (
            "Une réponse a déjà été enregistrée pour cette demande "
            f"({validation.get_decision_display().lower()}). "
            "Ce lien ne peut servir qu’une fois."
        )
    form = ReponsePubliqueForm(request.POST if request.method == "POST" else None)
    if erreur is None and request.method == "POST" and form.is_valid():
        try:
            with set_actor(validation.destinataire):
                # The service re-reads the row under lock and returns it with the answer: show that
                # one, not the copy read before (still « en attente »).
                validation = services.repondre_validation(
                    validation=validation,
                    decision=decision,
                    commentaire=form.cleaned_data["commentaire"],
                    mode=ModeReponse.LIEN,
                )
        except services.ReponseImpossible as exc:
            erreur = str(exc)
        else:
            return render(request, "menages/validation_merci.html", {"validation": validation})
    context = {
        "erreur": erreur,
        "form": form,
        "validation": validation,
        "decision": decision,
        "valide": decision == DecisionFinanceur.VALIDEE,
        "resume": selectors.resume_anonymise(validation.menage) if validation and erreur is None else None,
    }
    return render(request, "menages/validation_publique.html", context, status=400 if erreur else 200)


@never_cache
def diagnostic(request, pk):
    menage = charger_menage(request.user, pk, perm="menages.diagnostic")
    type_ = (
        TypeDiagnostic.SORTIE if request.GET.get("type") == TypeDiagnostic.SORTIE else TypeDiagnostic.ENTREE
    )
    instance = menage.diagnostics.filter(numero_parcours=menage.numero_parcours, type=type_).first()
    if instance is None and type_ == TypeDiagnostic.ENTREE and menage.etat != EtatParcours.DIAGNOSTIC:
        messages.error(request, "Le diagnostic approfondi commence après la validation des financeurs.")
        return redirect(menage)
    if (
        instance is None
        and type_ == TypeDiagnostic.SORTIE
        and menage.etat
        not in {
            EtatParcours.RELAIS_SORTANT,
            EtatParcours.CLOS,
        }
    ):
        messages.error(request, "Le diagnostic de sortie se fait au relais sortant ou à la clôture.")
        return redirect(menage)
    # The health part is left out for a role that may not read it: neither shown nor changed.
    form = retirer_champs(DiagnosticForm(request.POST or None, instance=instance), request.user, instance)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields if name != "besoin_communes"}
        services.enregistrer_diagnostic(
            menage=menage,
            auteur=request.user,
            instance=instance,
            type=type_,
            communes=form.cleaned_data["besoin_communes"],
            **fields,
        )
        messages.success(request, "Le diagnostic est enregistré.")
        return redirect(menage)
    return render(
        request,
        "menages/form_diagnostic.html",
        {"menage": menage, "form": form, "sortie": type_ == TypeDiagnostic.SORTIE},
    )


@never_cache
def journal(request, pk):
    """Who viewed and who changed one household (and what hangs off it): administrators only."""
    menage = charger_menage(request.user, pk, perm="comptes.voir_journal_audit")
    entries = (
        LogEntry.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Menage), object_id=menage.pk)
            | Q(additional_data__menage_id=menage.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    lignes = lignes_journal(page, request.user)
    # A person's own journal is linked only when the administrator may open it (not the technical
    # staff's, nor a user of a programme she does not administer).
    acteurs = {e.actor_id for e in page if e.actor_id}
    journaux = set(
        utilisateurs_administrables(request.user).filter(pk__in=acteurs).values_list("pk", flat=True)
    )
    return render(
        request,
        "menages/journal.html",
        {"menage": menage, "page": page, "lignes": lignes, "journaux": journaux},
    )


@never_cache
def consentements(request, pk):
    """The household's consents to sharing, partner by partner: recorded here by its referent
    worker (POST), withdrawn through a confirmation page."""
    menage = charger_menage(request.user, pk, perm="menages.gerer_consentements")
    form = ConsentementForm(request.POST or None, menage=menage)
    if request.method == "POST" and form.is_valid():
        try:
            consentement = services.enregistrer_consentement(
                menage=menage, auteur=request.user, **form.cleaned_data
            )
        except services.ConsentementRefuse as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Le consentement au partage avec : {consentement.get_partenaire_display()} est enregistré.",
            )
            return redirect("menages:consentements", pk=menage.pk)
    historique = menage.consentements.select_related("enregistre_par", "retire_par").order_by(
        "partenaire", "-date_consentement", "-pk"
    )
    return render(
        request,
        "menages/consentements.html",
        {
            "menage": menage,
            "form": form,
            "historique": historique,
            "complet": not form.fields["partenaire"].choices,
        },
    )


@never_cache
def consentement_retirer(request, pk, consentement_pk):
    """Withdraw a consent: GET says what it will change and for whom, POST does it (at once)."""
    menage = charger_menage(request.user, pk, perm="menages.gerer_consentements")
    consentement = get_object_or_404(menage.consentements.actifs(), pk=consentement_pk)
    if request.method == "POST":
        try:
            services.retirer_consentement(consentement=consentement, auteur=request.user)
        except services.ConsentementRefuse as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Le consentement au partage avec : {consentement.get_partenaire_display()} est retiré.",
            )
        return redirect("menages:consentements", pk=menage.pk)
    return render(
        request,
        "menages/consentement_retirer.html",
        {"menage": menage, "consentement": consentement, "effets": selectors.effets_retrait(consentement)},
    )


@never_cache
def referents(request):
    """The household list's referent filter, searched: the social workers of the user's programmes
    matching the typed text, at most a page of them."""
    require_perm(request.user, "menages.voir_menages")
    filtre = MenageFilter(queryset=Menage.objects.none(), request=request)
    return rendre_resultats(request, filtre.form.fields["referent"])
