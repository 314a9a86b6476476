import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from comptes.access import get_visible_or_404, require_perm
from comptes.selectors import dispositifs_de
from logements import importation, selectors, services
from logements.filters import LogementFilter
from logements.forms import (
    AttributionForm,
    ImportLogementsForm,
    MobilisationForm,
    ReclamationForm,
    SignalementGardienForm,
    SoldeForm,
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
    locataires_signalables,
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
            "seuil_franchi": dernier_solde is not None and dernier_solde >= seuil,
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


@never_cache
def reclamation(request, pk):
    menage = charger_menage(request.user, pk, perm="logements.modifier_dossier_locatif", dossier_locatif=True)
    form = ReclamationForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.enregistrer_reclamation(menage=menage, auteur=request.user, **form.cleaned_data)
        messages.success(request, "La réclamation est enregistrée.")
        return redirect("logements:dossier_locatif", pk=menage.pk)
    return render(
        request,
        "logements/dossier_locatif_form.html",
        {"menage": menage, "form": form, "titre": "Enregistrer une réclamation"},
    )


@never_cache
def solde(request, pk):
    menage = charger_menage(request.user, pk, perm="logements.modifier_dossier_locatif", dossier_locatif=True)
    form = SoldeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_solde(menage=menage, auteur=request.user, **form.cleaned_data)
        messages.success(request, "L’impayé du mois est enregistré.")
        return redirect("logements:dossier_locatif", pk=menage.pk)
    return render(
        request,
        "logements/dossier_locatif_form.html",
        {"menage": menage, "form": form, "titre": "Saisir l’impayé d’un mois"},
    )


@never_cache
def signalement(request):
    """The caretaker's report form; he never opens the file, so he comes back to an empty form."""
    user = request.user
    require_perm(user, "logements.signaler_locataire")
    form = SignalementGardienForm(
        request.POST or None, menages=locataires_signalables(user), initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        services.enregistrer_signalement(auteur=user, **form.cleaned_data)
        messages.success(request, "Votre signalement est transmis à la CESF.")
        return redirect("logements:signalement")
    return render(request, "logements/signalement.html", {"form": form})


@never_cache
def rapprochement(request, pk):
    menage = charger_menage(request.user, pk, perm="logements.voir_logements")
    return render(
        request,
        "logements/rapprochement.html",
        {
            "menage": menage,
            "attributions": Attribution.objects.filter(menage=menage).select_related("logement__commune"),
            **selectors.rapprochement(menage, request.user),
        },
    )


@never_cache
def attribution_nouvelle(request, pk, logement_pk):
    """Propose a matching dwelling to a household."""
    menage = charger_menage(request.user, pk, perm="logements.attribuer")
    logement = get_visible_or_404(
        Logement.objects.select_related("bailleur", "commune"), request.user, pk=logement_pk
    )
    return _attribution_form(request, Attribution(menage=menage, logement=logement), "Proposer ce logement")


@never_cache
def attribution(request, pk):
    instance = get_visible_or_404(
        Attribution.objects.select_related("menage", "logement__commune", "logement__bailleur"),
        request.user,
        perm="logements.attribuer",
        pk=pk,
    )
    return _attribution_form(request, instance, "Suivi de l’attribution")


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


def _formulaire_entree(model, fields):
    dates = {
        f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for f in fields if f.startswith("date")
    }
    return forms.modelform_factory(
        model, fields=fields, widgets=dates, localized_fields=["montant", "montant_dette", "mensualite"]
    )


# The other records of the tenant file the CESF enters: (model, fields, title, message).
ENTREES = {
    "plan": (PlanApurement, ["date_debut", "montant_dette", "mensualite", "statut"], "Plan d’apurement", "Le plan d’apurement est enregistré."),
    "fsl": (AideFsl, ["date_demande", "montant", "decision", "date_decision"], "Aide du FSL", "L’aide du FSL est enregistrée."),
    "expulsion": (EtapeExpulsion, ["etape", "date", "commentaire"], "Étape de la procédure d’expulsion", "L’étape est enregistrée."),
}  # fmt: skip


@never_cache
def entree(request, pk, nature):
    """A repayment plan, an FSL aid or a step of the eviction procedure, entered by the CESF."""
    if nature not in ENTREES:
        raise Http404
    model, fields, titre, succes = ENTREES[nature]
    menage = charger_menage(request.user, pk, perm="logements.modifier_dossier_locatif", dossier_locatif=True)
    form = _formulaire_entree(model, fields)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        objet = form.save(commit=False)
        objet.menage = menage
        objet.auteur = request.user
        objet.save()
        messages.success(request, succes)
        return redirect("logements:dossier_locatif", pk=menage.pk)
    return render(
        request, "logements/dossier_locatif_form.html", {"menage": menage, "form": form, "titre": titre}
    )
