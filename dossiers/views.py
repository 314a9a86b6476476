"""The pages that gather every app's part of a household: the list of households with their
follow-up, the household file, its timeline and its right-of-access export."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from accompagnement import selectors as suivi
from comptes.access import get_visible_or_404, require_perm
from dossiers import selectors
from menages.enums import EtatParcours
from menages.filters import MenageFilter
from menages.models import Menage
from menages.selectors import nombres_par_etat

EVENEMENTS_PAR_PAGE = 50


def _sans_etat(request, filtre, base):
    """The households of the list's filters but the step."""
    if not filtre.is_bound:
        return base
    if filtre.is_valid():
        return filtre.qs_sans_etat()
    # An invalid form (a step that does not exist, say): the other filters apply if they are valid.
    sans_etat = request.GET.copy()
    sans_etat.pop("etat", None)
    autre = MenageFilter(sans_etat or None, queryset=base, request=request)
    return autre.qs if autre.is_bound and autre.is_valid() else base


@never_cache
def liste(request):
    require_perm(request.user, "menages.voir_menages")
    base = Menage.objects.visible_to(request.user)
    filtre = MenageFilter(request.GET or None, queryset=base, request=request)
    menages = filtre.qs if filtre.is_bound and filtre.is_valid() else base
    # Counts by step for the current filters, whatever the step chosen.
    counts = nombres_par_etat(_sans_etat(request, filtre, base))
    menages = suivi.annoter_suivi(menages.select_related("commune", "bailleur").order_by("nom", "reference"))
    paginator = Paginator(menages, 25)
    if not filtre.is_bound or filtre.is_valid():
        # The counts by step already hold the number of results: no second COUNT over the list.
        etat = filtre.form.cleaned_data.get("etat") if filtre.is_bound else None
        paginator.count = counts[etat] if etat else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    for menage in page:
        menage.en_retard = suivi.en_retard(
            menage.rythme_actuel, menage.dernier_contact, menage.debut_accompagnement
        )
    context = {
        "filtre": filtre,
        "page": page,
        "etats": [(etat, counts[etat.value]) for etat in EtatParcours],
        "etat_actif": request.GET.get("etat", ""),
    }
    template = "dossiers/liste.html#resultats" if request.headers.get("HX-Request") else "dossiers/liste.html"
    return render(request, template, context)


@never_cache
def detail(request, pk):
    """The household file: each app's sections, as the reader may see them."""
    # The programme (a wide row) is read only at the funders' validation step.
    menage = get_visible_or_404(Menage.objects.select_related("commune", "bailleur"), request.user, pk=pk)
    return render(
        request, "dossiers/detail.html", {"menage": menage, **selectors.blocs(menage, request.user)}
    )


@never_cache
def chronologie(request, pk):
    """Every event of the household, from every organisation, newest first, as the reader may see
    them."""
    menage = get_visible_or_404(Menage.objects, request.user, pk=pk)
    evenements = selectors.chronologie(menage, request.user)
    page = Paginator(evenements, EVENEMENTS_PAR_PAGE).get_page(request.GET.get("page"))
    return render(request, "dossiers/chronologie.html", {"menage": menage, "page": page})


@never_cache
def export(request, pk):
    """The household's own file (right of access), produced by its social worker."""
    menage = get_visible_or_404(
        Menage.objects.select_related("commune"), request.user, perm="menages.exporter_dossier", pk=pk
    )
    response = HttpResponse(selectors.dossier_pdf(menage), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-{menage.reference}.pdf"'
    return response
