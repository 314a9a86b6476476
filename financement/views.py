from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from comptes.access import get_visible_or_404, require_perm
from comptes.enums import TypeOrganisation
from comptes.models import Dispositif, Organisation
from financement import (
    charts,
    consolidation,
    exports,
    indicators,
    secret_statistique,
    selectors,
    services,
)
from financement.forms import (
    CommentaireForm,
    ConventionForm,
    LigneForm,
    MontantsFormSet,
    PeriodeConsolideeForm,
    PeriodeForm,
    PlanFormSet,
    RapportForm,
)
from financement.models import Convention, LigneBudgetaire, MontantAnnuel, RapportFinanceur
from financement.periodes import date_longue
from financement.selectors import dispositifs_consolides, dispositifs_finances


def _dispositif(request, pk):
    require_perm(request.user, "financement.voir")
    return get_object_or_404(dispositifs_finances(request.user), pk=pk)


@never_cache
def index(request):
    require_perm(request.user, "financement.voir")
    return render(
        request, "financement/index.html", {"dispositifs": dispositifs_finances(request.user).order_by("nom")}
    )


@never_cache
def convention(request, pk):
    dispositif = _dispositif(request, pk)
    convention = get_object_or_404(
        Convention.objects.prefetch_related("parts__financeur", "parts__versements", "lignes__montants"),
        dispositif=dispositif,
    )
    budget = indicators.budget(convention, indicators.Periode(convention.date_debut, convention.date_fin))
    return render(
        request,
        "financement/convention.html",
        {"dispositif": dispositif, "convention": convention, "budget": budget},
    )


def _url_tableau(dispositif, query=""):
    url = reverse("financement:tableau", args=[dispositif.pk])
    return f"{url}?{query}" if query else url


@never_cache
def tableau(request, pk):
    """Targets and cohort dashboard, and the indicators of a period: those computed less than
    VALIDITE_INDICATEURS ago, shown with their date (computed now if there are none). A period
    that is not valid is shown with its errors, next to the default period's figures."""
    dispositif = _dispositif(request, pk)
    form = PeriodeForm(request.GET or None, dispositif=dispositif)
    debut, fin = form.periode()
    arretes = selectors.indicateurs_arretes(dispositif, debut, fin) or services.arreter_indicateurs(
        dispositif=dispositif, debut=debut, fin=fin
    )
    i = secret_statistique.masquer_indicateurs(arretes.indicateurs)
    context = {
        "dispositif": dispositif,
        "form": form,
        "i": i,
        "arretes": arretes,
        "graphiques": charts.graphiques(i),
        "query": f"debut={debut:%Y-%m-%d}&fin={fin:%Y-%m-%d}",
    }
    return render(request, "financement/tableau.html", context)


@require_POST
def actualiser(request, pk):
    """Compute the dashboard's figures again now, for the period in the query string (a period
    that is not valid goes back to the dashboard, which shows why)."""
    dispositif = _dispositif(request, pk)
    form = PeriodeForm(request.GET or None, dispositif=dispositif)
    if form.is_bound and not form.is_valid():
        return redirect(_url_tableau(dispositif, request.GET.urlencode()))
    debut, fin = form.periode()
    services.arreter_indicateurs(dispositif=dispositif, debut=debut, fin=fin)
    messages.success(request, "Les chiffres sont recalculés.")
    return redirect(_url_tableau(dispositif, f"debut={debut:%Y-%m-%d}&fin={fin:%Y-%m-%d}"))


@never_cache
def export(request, pk, format):
    """The indicators of a period as CSV or XLSX; a period that is not valid is a 400 that says
    why."""
    dispositif = _dispositif(request, pk)
    if format not in ("csv", "xlsx"):
        raise Http404
    form = PeriodeForm(request.GET or None, dispositif=dispositif)
    if form.is_bound and not form.is_valid():
        context = {
            "dispositif": dispositif,
            "form": form,
            "retour": _url_tableau(dispositif),
            "bornes": (date_longue(dispositif.date_debut), date_longue(dispositif.date_fin)),
        }
        return render(request, "financement/periode_invalide.html", context, status=400)
    debut, fin = form.periode()
    i = secret_statistique.masquer_indicateurs(indicators.calculer(dispositif, debut, fin))
    nom = f"indicateurs-{dispositif.code}-{debut:%Y%m%d}-{fin:%Y%m%d}"
    contenu = exports.en_csv(i) if format == "csv" else exports.en_xlsx(i)
    return _telechargement(contenu, nom, format)


TYPES_EXPORT = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _telechargement(contenu, nom, format):
    """A CSV or XLSX export as an attachment named `nom.format`."""
    response = HttpResponse(contenu, content_type=TYPES_EXPORT[format])
    response["Content-Disposition"] = f'attachment; filename="{nom}.{format}"'
    return response


@never_cache
def rapports(request):
    require_perm(request.user, "financement.voir")
    user = request.user
    dispositifs = dispositifs_finances(user)
    form = RapportForm(request.POST or None, dispositifs=dispositifs, user=user)
    if request.method == "POST":
        require_perm(user, "financement.demander_rapport")
        if form.is_valid():
            try:
                services.demander_rapport(
                    dispositif=form.cleaned_data["dispositif"],
                    financeur=form.cleaned_data["financeur"],
                    date_debut=form.cleaned_data["debut"],
                    date_fin=form.cleaned_data["fin"],
                    demande_par=user,
                    commentaire=form.cleaned_data["commentaire"] or None,
                )
            except services.DemandeInvalide as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Le rapport est en cours de production : il apparaît ci-dessous.")
                return redirect("financement:rapports")
    return _page_rapports(request, form)


def _page_rapports(request, form, commentaire=None, status=200):
    """The reports page; `commentaire` is a report's commentary form with its errors, shown in
    that report's row."""
    liste = list(
        RapportFinanceur.objects.visible_to(request.user).select_related("dispositif", "financeur")[:100]
    )
    if request.user.has_perm("financement.demander_rapport"):
        for rapport in liste:
            rapport.form_commentaire = (
                commentaire
                if commentaire is not None and commentaire.rapport_pk == rapport.pk
                else _form_commentaire(rapport)
            )
    return render(request, "financement/rapports.html", {"rapports": liste, "form": form}, status=status)


def _form_commentaire(rapport, data=None):
    form = CommentaireForm(data, initial={"commentaire": rapport.commentaire}, prefix=f"r{rapport.pk}")
    form.rapport_pk = rapport.pk
    return form


@require_POST
def rapport_commentaire(request, pk):
    """Save the coordinator's commentary on a report, which is produced again with it."""
    require_perm(request.user, "financement.demander_rapport")
    rapport = get_visible_or_404(RapportFinanceur.objects, request.user, pk=pk)
    form = _form_commentaire(rapport, request.POST)
    if form.is_valid():
        try:
            services.commenter_rapport(
                rapport=rapport, commentaire=form.cleaned_data["commentaire"], par=request.user
            )
        except services.DemandeInvalide as exc:
            form.add_error("commentaire", exc)
        else:
            messages.success(
                request, "Le commentaire est enregistré : le rapport est produit de nouveau avec lui."
            )
            return redirect("financement:rapports")
    return _page_rapports(
        request,
        RapportForm(dispositifs=dispositifs_finances(request.user), user=request.user),
        form,
        status=400,
    )


@never_cache
def rapport_statut(request, pk):
    """Polled by htmx while the report is produced."""
    require_perm(request.user, "financement.voir")
    rapport = get_visible_or_404(
        RapportFinanceur.objects.select_related("dispositif", "financeur"), request.user, pk=pk
    )
    if request.user.has_perm("financement.demander_rapport"):
        rapport.form_commentaire = _form_commentaire(rapport)
    return render(request, "financement/rapports.html#rapport", {"rapport": rapport})


@never_cache
def rapport_telecharger(request, pk):
    require_perm(request.user, "financement.voir")
    rapport = get_visible_or_404(RapportFinanceur.objects, request.user, pk=pk)
    if not rapport.fichier:
        raise Http404
    return FileResponse(rapport.fichier.open("rb"), as_attachment=True, filename=rapport.nom_fichier)


def _consolidation(request, *, lire=consolidation.indicateurs):
    """The programmes the user may consolidate, the period form and the masked table of its
    period (the default period's when the one asked for is not valid)."""
    require_perm(request.user, "financement.voir_consolide")
    dispositifs = list(dispositifs_consolides(request.user).order_by("nom"))
    form = PeriodeConsolideeForm(request.GET or None, dispositifs=dispositifs)
    debut, fin = form.periode()
    return form, consolidation.consolider(dispositifs, debut, fin, lire=lire)


@never_cache
def consolide(request):
    """The consolidated, anonymised figures of the programmes a national or regional funder funds:
    each programme's figures and their total, under statistical secrecy applied after summing.
    Each programme's figures are those kept for its dashboard when they are recent enough
    (computed and kept now otherwise), shown with their date."""
    dates = []

    def lire(dispositif, periode):
        arretes = selectors.indicateurs_arretes(
            dispositif, periode.debut, periode.fin
        ) or services.arreter_indicateurs(dispositif=dispositif, debut=periode.debut, fin=periode.fin)
        dates.append(arretes.calcule_le)
        return arretes.indicateurs

    form, tableau = _consolidation(request, lire=lire)
    return _page_consolide(request, form, tableau, arretes_le=min(dates, default=None))


def _page_consolide(request, form, tableau, arretes_le=None, status=200):
    debut, fin = tableau.periode.debut, tableau.periode.fin
    context = {
        "form": form,
        "tableau": tableau,
        "arretes_le": arretes_le,
        "query": f"debut={debut:%Y-%m-%d}&fin={fin:%Y-%m-%d}",
    }
    return render(request, "financement/consolide.html", context, status=status)


@never_cache
def consolide_export(request, format):
    """The consolidated figures as CSV or XLSX, computed afresh; a period that is not valid is the
    page again, with its errors (400)."""
    if format not in ("csv", "xlsx"):
        require_perm(request.user, "financement.voir_consolide")
        raise Http404
    form, tableau = _consolidation(request)
    if form.is_bound and not form.is_valid():
        return _page_consolide(request, form, tableau, status=400)
    nom = f"chiffres-consolides-{tableau.periode.debut:%Y%m%d}-{tableau.periode.fin:%Y%m%d}"
    if format == "csv":
        contenu = exports.consolidation_en_csv(tableau)
    else:
        contenu = exports.consolidation_en_xlsx(tableau)
    return _telechargement(contenu, nom, format)


# The administrators' pages: the convention, its financing plan and budget lines, for the
# programmes their organisation takes part in.

MODIFIER = "financement.modifier_convention"


def _dispositif_administre(request, pk):
    return get_visible_or_404(Dispositif.objects, request.user, perm=MODIFIER, pk=pk)


def _organisations_du_dispositif(dispositif, *types):
    organisations = Organisation.objects.filter(dispositifs=dispositif)
    return organisations.filter(type__in=types) if types else organisations


@never_cache
def conventions(request):
    require_perm(request.user, MODIFIER)
    dispositifs = selectors.conventions_administrees(request.user)
    return render(request, "financement/conventions.html", {"dispositifs": dispositifs})


@never_cache
@require_http_methods(["GET", "POST"])
def convention_modifier(request, pk):
    dispositif = _dispositif_administre(request, pk)
    convention = Convention.objects.filter(dispositif=dispositif).first() or Convention(
        dispositif=dispositif, date_debut=dispositif.date_debut, duree_mois=dispositif.duree_mois
    )
    form = ConventionForm(request.POST or None, instance=convention)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_convention(convention=form.save(commit=False))
        messages.success(request, "La convention est enregistrée.")
        return redirect("financement:conventions")
    titre = "Modifier la convention" if convention.pk else "Nouvelle convention"
    return render(
        request,
        "financement/administration_form.html",
        {"form": form, "dispositif": dispositif, "titre": f"{titre} – {dispositif.nom}"},
    )


def _convention_ou_creation(request, dispositif):
    convention = Convention.objects.filter(dispositif=dispositif).first()
    if convention is None:
        messages.info(request, "Créez d’abord la convention du dispositif.")
    return convention


@never_cache
@require_http_methods(["GET", "POST"])
def plan_financement(request, pk):
    """The funders' shares, saved together only if they total 100 %."""
    dispositif = _dispositif_administre(request, pk)
    convention = _convention_ou_creation(request, dispositif)
    if convention is None:
        return redirect("financement:convention_modifier", dispositif.pk)
    financeurs = _organisations_du_dispositif(
        dispositif, TypeOrganisation.FINANCEUR, TypeOrganisation.BAILLEUR
    )
    formset = PlanFormSet(
        request.POST or None,
        instance=convention,
        queryset=convention.parts.select_related("financeur").order_by("-pourcentage", "pk"),
        financeurs=financeurs,
        prefix="parts",
    )
    if request.method == "POST" and formset.is_valid():
        try:
            services.enregistrer_plan(
                convention=convention,
                parts=formset.save(commit=False),
                retirees=formset.deleted_objects,
            )
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages, renderer=formset.renderer)
        else:
            messages.success(request, "Le plan de financement est enregistré.")
            return redirect("financement:conventions")
    return render(
        request,
        "financement/plan_financement.html",
        {"formset": formset, "dispositif": dispositif, "convention": convention},
    )


def _page_ligne(request, ligne, dispositif):
    convention = ligne.convention
    data = request.POST or None
    form = LigneForm(data, instance=ligne, porteurs=_organisations_du_dispositif(dispositif))
    annees = range(convention.date_debut.year, convention.date_fin.year + 1)
    montants = MontantsFormSet(
        data,
        instance=ligne,
        queryset=MontantAnnuel.objects.filter(ligne=ligne) if ligne.pk else MontantAnnuel.objects.none(),
        annees=annees,
        prefix="montants",
    )
    if request.method == "POST" and form.is_valid() and montants.is_valid():
        services.enregistrer_ligne(
            ligne=form.save(commit=False),
            montants=montants.save(commit=False),
            retires=montants.deleted_objects,
        )
        messages.success(request, f"La ligne « {form.instance.libelle} » est enregistrée.")
        return redirect("financement:conventions")
    titre = f"Modifier la ligne « {ligne.libelle} »" if ligne.pk else "Nouvelle ligne budgétaire"
    return render(
        request,
        "financement/ligne_form.html",
        {"form": form, "montants": montants, "dispositif": dispositif, "titre": titre},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def ligne_creer(request, pk):
    dispositif = _dispositif_administre(request, pk)
    convention = _convention_ou_creation(request, dispositif)
    if convention is None:
        return redirect("financement:convention_modifier", dispositif.pk)
    return _page_ligne(request, LigneBudgetaire(convention=convention), dispositif)


@never_cache
@require_http_methods(["GET", "POST"])
def ligne_modifier(request, pk):
    ligne = get_visible_or_404(
        LigneBudgetaire.objects.select_related("convention__dispositif"), request.user, perm=MODIFIER, pk=pk
    )
    return _page_ligne(request, ligne, ligne.convention.dispositif)
