from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from comptes.access import get_visible_or_404, require_perm
from financement import charts, exports, indicators, secret_statistique, selectors, services
from financement.forms import PeriodeForm, RapportForm, date_longue
from financement.models import Convention, RapportFinanceur
from financement.selectors import dispositifs_finances


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
    if format == "csv":
        response = HttpResponse(exports.en_csv(i), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.en_xlsx(i),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
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
                )
            except services.DemandeInvalide as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Le rapport est en cours de production : il apparaît ci-dessous.")
                return redirect("financement:rapports")
    liste = RapportFinanceur.objects.visible_to(user).select_related("dispositif", "financeur")[:100]
    return render(request, "financement/rapports.html", {"rapports": liste, "form": form})


@never_cache
def rapport_statut(request, pk):
    """Polled by htmx while the report is produced."""
    require_perm(request.user, "financement.voir")
    rapport = get_visible_or_404(
        RapportFinanceur.objects.select_related("dispositif", "financeur"), request.user, pk=pk
    )
    return render(request, "financement/rapports.html#rapport", {"rapport": rapport})


@never_cache
def rapport_telecharger(request, pk):
    require_perm(request.user, "financement.voir")
    rapport = get_visible_or_404(RapportFinanceur.objects, request.user, pk=pk)
    if not rapport.fichier:
        raise Http404
    return FileResponse(rapport.fichier.open("rb"), as_attachment=True, filename=rapport.nom_fichier)
