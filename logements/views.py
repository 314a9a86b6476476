import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from comptes.access import get_visible_or_404, require_perm
from comptes.selectors import dispositifs_de
from logements import importation, selectors, services
from logements.filters import LogementFilter
from logements.forms import (
    AideFslForm,
    AttributionForm,
    ClotureReclamationForm,
    DecisionFslForm,
    EtapeExpulsionForm,
    GlissementForm,
    ImportLogementsForm,
    MobilisationForm,
    PlanApurementForm,
    ReclamationForm,
    SignalementGardienForm,
    SoldeForm,
    StatutPlanForm,
)
from logements.importation import COLONNES, EXEMPLE, LIBELLES_COLONNES, OBLIGATOIRES
from logements.models import (
    AideFsl,
    Attribution,
    EtapeExpulsion,
    Logement,
    MobilisationLogement,
    PlanApurement,
    Reclamation,
    SignalementGardien,
    SoldeLocatif,
    bailleurs_visible_to,
    logements_signalables,
)
from menages.selectors import charger_menage

PAR_PAGE = 25
# Errors shown on the import page; the count of the others is given (a file with thousands of
# wrong lines usually has one systematic mistake).
ERREURS_AFFICHEES = 500


@never_cache
def liste(request):
    require_perm(request.user, "logements.voir_logements")
    logements = (
        Logement.objects.visible_to(request.user)
        .select_related("bailleur", "commune")
        .order_by("commune__nom", "adresse", "pk")
    )
    filtre = LogementFilter(request.GET or None, queryset=logements, user=request.user)
    page = Paginator(filtre.qs, PAR_PAGE).get_page(request.GET.get("page"))
    # htmx asks for the results alone when a filter changes.
    template = (
        "logements/liste.html#resultats" if request.headers.get("HX-Request") else "logements/liste.html"
    )
    return render(
        request,
        template,
        {
            "filtre": filtre,
            "filtre_actif": any(value for key, value in request.GET.items() if key != "page"),
            "page": page,
            "peut_importer": request.user.has_perm("logements.importer_logements"),
        },
    )


@never_cache
def detail(request, pk):
    logement = get_visible_or_404(Logement.objects.select_related("bailleur", "commune"), request.user, pk=pk)
    mobilisations = logement.mobilisations.select_related("dispositif", "auteur")
    return render(
        request,
        "logements/detail.html",
        {
            "logement": logement,
            "mobilisations": mobilisations,
            "peut_mobiliser": request.user.has_perm("logements.mobiliser_logement", logement),
        },
    )


@never_cache
def importer_choix(request):
    """Landlord staff go straight to their landlord's import; administrators choose a landlord."""
    user = request.user
    require_perm(user, "logements.importer_logements")
    if not user.est_administrateur:
        return redirect("logements:importer", bailleur_pk=user.organisation_id)
    return render(request, "logements/importer_choix.html", {"bailleurs": bailleurs_visible_to(user)})


@never_cache
def importer(request, bailleur_pk):
    user = request.user
    bailleur = get_object_or_404(bailleurs_visible_to(user), pk=bailleur_pk)
    require_perm(user, "logements.importer_logements", bailleur)
    form = ImportLogementsForm(request.POST or None, request.FILES or None)
    rapport = None
    if request.method == "POST" and form.is_valid():
        rapport = importation.importer_logements(
            bailleur=bailleur, fichier=form.cleaned_data["fichier"], auteur=user
        )
        if rapport.reussi:
            messages.success(
                request,
                importation.typographie(
                    f"Import réussi : {rapport.crees} logement{'s' if rapport.crees > 1 else ''} "
                    f"créé{'s' if rapport.crees > 1 else ''}, {rapport.mis_a_jour} mis à jour."
                ),
            )
            return redirect(f"{reverse('logements:liste')}?bailleur={bailleur.pk}")
        n = len(rapport.erreurs)
        form.add_error(
            "fichier",
            importation.typographie(
                f"Le fichier contient {n} erreur{'s' if n > 1 else ''} : aucun logement n’a été importé. "
                "Corrigez les lignes signalées ci-dessous, puis déposez de nouveau le fichier."
            ),
        )
    colonnes = [(LIBELLES_COLONNES[nom], nom in OBLIGATOIRES, EXEMPLE[nom]) for nom in COLONNES]
    return render(
        request,
        "logements/importer.html",
        {
            "bailleur": bailleur,
            "form": form,
            "rapport": rapport,
            "erreurs": rapport.erreurs[:ERREURS_AFFICHEES] if rapport else [],
            "erreurs_masquees": max(0, len(rapport.erreurs) - ERREURS_AFFICHEES) if rapport else 0,
            "colonnes": colonnes,
            "imports": selectors.imports_recents(bailleur),
        },
    )


@never_cache
def mobilisations(request):
    require_perm(request.user, "logements.voir_logements")
    visibles = MobilisationLogement.objects.visible_to(request.user)
    page = Paginator(
        visibles.select_related("dispositif", "logement__bailleur", "logement__commune"), PAR_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "logements/mobilisations.html",
        {
            "page": page,
            "avancement": selectors.avancement_mobilisation(request.user),
            "par_mode": selectors.mobilisations_par_mode(visibles),
        },
    )


@never_cache
def mobiliser(request, pk):
    user = request.user
    logement = get_visible_or_404(Logement.objects.select_related("bailleur", "commune"), user, pk=pk)
    require_perm(user, "logements.mobiliser_logement", logement)
    dispositifs = dispositifs_de(user).filter(organisations=logement.bailleur)
    if not dispositifs:
        raise PermissionDenied
    existante = logement.mobilisations.filter(dispositif__in=dispositifs).first()
    form = MobilisationForm(request.POST or None, instance=existante, dispositifs=dispositifs)
    if request.method == "POST" and form.is_valid():
        services.mobiliser_logement(
            logement=logement,
            dispositif=form.dispositif_choisi(),
            mode=form.cleaned_data["mode"],
            date_mobilisation=form.cleaned_data["date_mobilisation"],
            commentaire=form.cleaned_data["commentaire"],
            auteur=user,
        )
        messages.success(request, "La mobilisation du logement est enregistrée.")
        return redirect(logement)
    return render(
        request, "logements/mobiliser.html", {"logement": logement, "form": form, "existante": existante}
    )


@never_cache
def modele(request):
    """A CSV file with the expected columns and one example line, to fill in."""
    require_perm(request.user, "logements.importer_logements")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-import-logements.csv"'
    response.write("\ufeff")  # lets Excel read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([LIBELLES_COLONNES[nom] for nom in COLONNES])
    writer.writerow([EXEMPLE[nom] for nom in COLONNES])
    return response


# The arrears chart and table show the latest months; the whole history is one click away.
MOIS_AFFICHES = 24


@never_cache
def dossier_locatif(request, pk):
    user = request.user
    menage = charger_menage(request.user, pk, perm="logements.voir_dossier_locatif", dossier_locatif=True)
    aujourdhui = timezone.localdate()
    historique = request.GET.get("historique") == "tout"
    soldes = SoldeLocatif.objects.du_menage(menage, user).order_by("-mois")
    soldes = list(soldes if historique else soldes[: MOIS_AFFICHES + 1])[::-1]
    plus_anciens = not historique and len(soldes) > MOIS_AFFICHES
    if plus_anciens:
        soldes = soldes[1:]
    seuil = selectors.seuil_impayes(menage)
    dernier_solde = soldes[-1].solde if soldes else None
    debut_treve, fin_treve = selectors.treve_hivernale(aujourdhui)
    return render(
        request,
        "logements/dossier_locatif.html",
        {
            "menage": menage,
            "reclamations": Reclamation.objects.du_menage(menage, user),
            "signalements": SignalementGardien.objects.du_menage(menage, user),
            "soldes": soldes,
            "historique": historique,
            "plus_anciens": plus_anciens,
            "mois_affiches": MOIS_AFFICHES,
            "courbe": selectors.courbe_impayes(soldes, seuil),
            "seuil": seuil,
            "dernier_solde": dernier_solde,
            "seuil_franchi": None not in (dernier_solde, seuil) and dernier_solde >= seuil,
            "plans": PlanApurement.objects.du_menage(menage, user),
            "aides_fsl": AideFsl.objects.du_menage(menage, user),
            "etapes": EtapeExpulsion.objects.du_menage(menage, user),
            "en_treve": selectors.en_treve_hivernale(aujourdhui),
            "debut_treve": debut_treve,
            "fin_treve": fin_treve,
            "peut_modifier": user.has_perm("logements.modifier_dossier_locatif"),
            "peut_pre_diagnostic": user.has_perm("menages.pre_diagnostic"),
        },
    )


def _formulaire(request, menage, form, titre, **extra):
    return render(
        request,
        "logements/dossier_locatif_form.html",
        {"menage": menage, "form": form, "titre": titre, **extra},
    )


def _erreurs(form, exc: ValidationError) -> None:
    """A rule of the service broken: its message next to the field it is about."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _avertir(request, avertissements) -> None:
    for avertissement in avertissements:
        messages.warning(request, avertissement)


@never_cache
def reclamation(request, pk):
    menage = charger_menage(request.user, pk, perm="logements.modifier_dossier_locatif", dossier_locatif=True)
    form = ReclamationForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.enregistrer_reclamation(menage=menage, auteur=request.user, **form.cleaned_data)
        messages.success(request, "La réclamation est enregistrée.")
        return redirect("logements:dossier_locatif", pk=menage.pk)
    return _formulaire(request, menage, form, "Enregistrer une réclamation")


def _entree(request, model, pk):
    """A record of a tenant file the user may change, its household loaded with it."""
    return get_visible_or_404(
        model.objects.select_related("menage__bailleur"),
        request.user,
        perm="logements.modifier_dossier_locatif",
        pk=pk,
    )


@never_cache
@require_POST
def reclamation_prendre_en_charge(request, pk):
    reclamation = _entree(request, Reclamation, pk)
    try:
        services.prendre_en_charge_reclamation(reclamation=reclamation, auteur=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "La réclamation est en cours de traitement.")
    return redirect("logements:dossier_locatif", pk=reclamation.menage_id)


# What the CESF closes with a resolution: (model, what it is, its page's title, what it shows).
CLOTURABLES = {
    "reclamation": (Reclamation, "la réclamation", "Clore la réclamation", ("menage__bailleur",)),
    "signalement": (
        SignalementGardien,
        "le signalement du gardien",
        "Clore le signalement du gardien",
        ("menage__bailleur", "logement__commune"),
    ),
}


@never_cache
def clore(request, nature, pk):
    """Closing a complaint or a caretaker's report is final: the page shows what it closes and
    asks for the resolution (GET), POST closes it."""
    if nature not in CLOTURABLES:
        raise Http404
    model, libelle, titre, relations = CLOTURABLES[nature]
    objet = get_visible_or_404(
        model.objects.select_related(*relations),
        request.user,
        perm="logements.modifier_dossier_locatif",
        pk=pk,
    )
    retour = (
        reverse("logements:dossier_locatif", args=[objet.menage_id])
        if objet.menage_id
        else reverse("tableau_de_bord")
    )
    if not objet.est_ouverte:
        messages.info(
            request,
            f"{libelle[0].upper()}{libelle[1:]} est déjà clos{'e' if nature == 'reclamation' else ''}.",
        )
        return redirect(retour)
    form = ClotureReclamationForm(request.POST or None, initial={"date_cloture": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.clore_entree(objet=objet, auteur=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _erreurs(form, exc)
        else:
            messages.success(
                request,
                f"{libelle[0].upper()}{libelle[1:]} est clos{'e' if nature == 'reclamation' else ''}.",
            )
            return redirect(retour)
    return render(
        request,
        "logements/locataire_clore.html",
        {
            "menage": objet.menage,
            "objet": objet,
            "nature": nature,
            "libelle": libelle,
            "titre": titre,
            "form": form,
            "retour": retour,
        },
    )


@never_cache
def plan_statut(request, pk):
    plan = _entree(request, PlanApurement, pk)
    form = StatutPlanForm(
        request.POST or None,
        initial={"statut": plan.statut, "date_fin": plan.date_fin or timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.changer_statut_plan(plan=plan, auteur=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _erreurs(form, exc)
        else:
            messages.success(request, "Le statut du plan d’apurement est enregistré.")
            return redirect("logements:dossier_locatif", pk=plan.menage_id)
    return _formulaire(request, plan.menage, form, "Statut du plan d’apurement", objet=plan)


@never_cache
def fsl_decision(request, pk):
    aide = _entree(request, AideFsl, pk)
    form = DecisionFslForm(
        request.POST or None,
        initial={"decision": aide.decision, "date_decision": aide.date_decision or timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decider_aide_fsl(aide=aide, auteur=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _erreurs(form, exc)
        else:
            messages.success(request, "La décision du FSL est enregistrée.")
            return redirect("logements:dossier_locatif", pk=aide.menage_id)
    return _formulaire(request, aide.menage, form, "Décision du FSL", objet=aide)


# The records of the tenant file that can be corrected or deleted: (model, form, what it is).
CORRIGEABLES = {
    "reclamation": (Reclamation, ReclamationForm, "la réclamation"),
    "plan": (PlanApurement, PlanApurementForm, "le plan d’apurement"),
    "fsl": (AideFsl, AideFslForm, "la demande d’aide au FSL"),
    "expulsion": (EtapeExpulsion, EtapeExpulsionForm, "l’étape de la procédure d’expulsion"),
}


def _corrigeable(nature):
    if nature not in CORRIGEABLES:
        raise Http404
    return CORRIGEABLES[nature]


@never_cache
def corriger(request, nature, pk):
    """Correct a wrong entry; its former values stay in the audit trail."""
    model, form_class, libelle = _corrigeable(nature)
    objet = _entree(request, model, pk)
    form = form_class(request.POST or None, instance=model.objects.get(pk=objet.pk))
    if request.method == "POST" and form.is_valid():
        try:
            avertissements = services.corriger_entree(objet=objet, auteur=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _erreurs(form, exc)
        else:
            messages.success(request, f"La correction de {libelle} est enregistrée.")
            _avertir(request, avertissements)
            return redirect("logements:dossier_locatif", pk=objet.menage_id)
    return _formulaire(request, objet.menage, form, f"Corriger {libelle}", objet=objet)


@never_cache
def supprimer(request, nature, pk):
    """Delete an entry recorded by mistake: GET says what will be deleted, POST deletes it."""
    model, _form, libelle = _corrigeable(nature)
    objet = _entree(request, model, pk)
    erreur = None
    if request.method == "POST":
        try:
            services.supprimer_entree(objet=objet, auteur=request.user)
        except ValidationError as exc:
            erreur = " ".join(exc.messages)
        else:
            messages.success(
                request, f"{libelle[0].upper()}{libelle[1:]} est supprimé{'e' if nature != 'plan' else ''}."
            )
            return redirect("logements:dossier_locatif", pk=objet.menage_id)
    return render(
        request,
        "logements/locataire_supprimer.html",
        {"menage": objet.menage, "objet": objet, "libelle": libelle, "erreur": erreur},
        status=400 if erreur else 200,
    )


@never_cache
def solde(request, pk):
    menage = charger_menage(request.user, pk, perm="logements.modifier_dossier_locatif", dossier_locatif=True)
    form = SoldeForm(request.POST or None, loyer=selectors.loyers_mensuels([menage.pk]).get(menage.pk))
    if request.method == "POST" and form.is_valid():
        services.enregistrer_solde(
            menage=menage,
            auteur=request.user,
            mois=form.cleaned_data["mois"],
            solde=form.cleaned_data["solde"],
            loyer_charges=form.cleaned_data["loyer_charges"],
        )
        messages.success(request, "L’impayé du mois est enregistré.")
        return redirect("logements:dossier_locatif", pk=menage.pk)
    return render(
        request,
        "logements/dossier_locatif_form.html",
        {"menage": menage, "form": form, "titre": "Saisir l’impayé d’un mois"},
    )


# The caretaker's search shows a few dwellings at a time: the stock is thousands of them.
LOGEMENTS_PAR_PAGE = 10


@never_cache
def signalement(request):
    """The caretaker's report starts from a dwelling of his landlord, found by its address or its
    reference (htmx completes the results as he types; without JavaScript the form is submitted).
    No household is listed: every dwelling is offered the same way."""
    user = request.user
    require_perm(user, "logements.signaler_locataire")
    # A NUL byte (a forged address) cannot reach PostgreSQL: it would answer a server error.
    recherche = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    page = None
    if recherche:
        page = Paginator(
            selectors.rechercher_logements(logements_signalables(user), recherche), LOGEMENTS_PAR_PAGE
        ).get_page(request.GET.get("page"))
    template = (
        "logements/signalement.html#resultats"
        if request.headers.get("HX-Request")
        else "logements/signalement.html"
    )
    return render(request, template, {"recherche": recherche, "page": page})


@never_cache
def signalement_logement(request, logement_pk):
    user = request.user
    require_perm(user, "logements.signaler_locataire")
    logement = get_object_or_404(logements_signalables(user).select_related("commune"), pk=logement_pk)
    form = SignalementGardienForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.enregistrer_signalement(logement=logement, auteur=user, **form.cleaned_data)
        return redirect("logements:signalement_transmis", logement_pk=logement.pk)
    return render(request, "logements/signalement_logement.html", {"form": form, "logement": logement})


@never_cache
def signalement_transmis(request, logement_pk):
    """The same confirmation for every dwelling, whoever lives there."""
    user = request.user
    require_perm(user, "logements.signaler_locataire")
    logement = get_object_or_404(logements_signalables(user).select_related("commune"), pk=logement_pk)
    return render(request, "logements/signalement_transmis.html", {"logement": logement})


@never_cache
def rapprochement(request, pk):
    menage = charger_menage(request.user, pk, perm="logements.voir_logements")
    return render(
        request,
        "logements/rapprochement.html",
        {
            "menage": menage,
            "attributions": Attribution.objects.filter(menage=menage).select_related("logement__commune"),
            "peut_attribuer": request.user.has_perm("logements.attribuer"),
            **selectors.rapprochement(menage, request.user),
        },
    )


@never_cache
def attribution_nouvelle(request, pk, logement_pk):
    """Propose a matching dwelling to a household (not one already proposed, awaiting its outcome)."""
    menage = charger_menage(request.user, pk, perm="logements.attribuer")
    logement = get_visible_or_404(
        Logement.objects.select_related("bailleur", "commune"), request.user, pk=logement_pk
    )
    reservation = services.proposition_en_cours(logement)
    if reservation is not None:
        # Only the household's own users learn which proposal it is.
        propre = reservation.menage_id == menage.pk
        return render(
            request,
            "logements/attribution_reservee.html",
            {"menage": menage, "logement": logement, "reservation": reservation, "propre": propre},
        )
    attribution = Attribution(
        menage=menage, logement=logement, canal=services.canal_propose(menage, logement)
    )
    return _attribution_form(request, attribution, "Proposer ce logement")


@never_cache
def attributions(request):
    """The attribution pipeline board: proposals, visits, CAL, leases and move-ins by step."""
    require_perm(request.user, "logements.voir_attributions")
    return render(request, "logements/attributions.html", selectors.tableau_attributions(request.user))


@never_cache
def attribution(request, pk):
    instance = get_visible_or_404(
        Attribution.objects.select_related("menage", "logement__commune", "logement__bailleur"),
        request.user,
        perm="logements.attribuer",
        pk=pk,
    )
    return _attribution_form(request, instance, "Suivi de l’attribution")


@never_cache
def glissement_iml(request, pk):
    """The IML glide: a confirmation page (who, which measure, what will be recorded), then the
    glide on the date given."""
    menage = charger_menage(request.user, pk, perm="logements.glisser_bail")
    mesure = services.mesure_iml_a_glisser(menage)
    if mesure is None:
        messages.info(request, "Ce ménage n’a pas de mesure d’IML dont le bail reste à faire glisser.")
        return redirect(menage)
    form = GlissementForm(
        request.POST or None, initial={"jour": mesure.glissement_bail_prevu or timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.glisser_bail(mesure=mesure, jour=form.cleaned_data["jour"], auteur=request.user)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                f"Le bail a glissé au ménage le {form.cleaned_data['jour']:%d/%m/%Y} ; la mesure d’IML est close.",
            )
            return redirect(menage)
    return render(
        request, "logements/glissement_iml.html", {"menage": menage, "mesure": mesure, "form": form}
    )


def _attribution_form(request, instance, titre):
    form = AttributionForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.enregistrer_attribution(
                attribution=instance,
                auteur=request.user,
                **{f: form.cleaned_data[f] for f in form.Meta.fields},
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, "L’attribution est enregistrée ; les temps forts du ménage sont à jour."
            )
            return redirect("logements:rapprochement", pk=instance.menage_id)
    context = {"form": form, "titre": titre, "attribution": instance, "menage": instance.menage}
    return render(request, "logements/attribution.html", context)


# The other records of the tenant file the CESF enters: (form, title, service, message).
ENTREES = {
    "plan": (PlanApurementForm, "Plan d’apurement", services.enregistrer_plan, "Le plan d’apurement est enregistré."),
    "fsl": (AideFslForm, "Demande d’aide au FSL", services.enregistrer_aide_fsl, "La demande d’aide au FSL est enregistrée."),
    "expulsion": (EtapeExpulsionForm, "Étape de la procédure d’expulsion", services.enregistrer_etape_expulsion, "L’étape est enregistrée."),
}  # fmt: skip


@never_cache
def entree(request, pk, nature):
    """A repayment plan, an FSL request or a step of the eviction procedure, entered by the CESF."""
    if nature not in ENTREES:
        raise Http404
    form_class, titre, service, succes = ENTREES[nature]
    menage = charger_menage(request.user, pk, perm="logements.modifier_dossier_locatif", dossier_locatif=True)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resultat = service(menage=menage, auteur=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _erreurs(form, exc)
        else:
            messages.success(request, succes)
            if isinstance(resultat, tuple):
                _avertir(request, resultat[1])
            return redirect("logements:dossier_locatif", pk=menage.pk)
    extra = {}
    if nature == "expulsion":
        extra["etapes"] = EtapeExpulsion.objects.du_menage(menage, request.user)
    return _formulaire(request, menage, form, titre, **extra)
