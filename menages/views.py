from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from comptes.access import get_visible_or_404, require_perm
from comptes.audit import record_view
from menages.models import Intervenant, Menage


@never_cache
def liste(request):
    require_perm(request.user, "menages.voir_menages")
    menages = (
        Menage.objects.visible_to(request.user)
        .select_related("commune", "bailleur")
        .order_by("nom", "reference")
    )
    page = Paginator(menages, 25).get_page(request.GET.get("page"))
    return render(request, "menages/liste.html", {"page": page})


@never_cache
def detail(request, pk):
    menage = get_visible_or_404(
        Menage.objects.select_related("commune", "bailleur", "dispositif"), request.user, pk=pk
    )
    record_view(menage)
    intervenants = menage.intervenants.select_related("organisation", "utilisateur")
    return render(request, "menages/detail.html", {"menage": menage, "intervenants": intervenants})


@never_cache
def journal(request, pk):
    """Who viewed and who changed one household (and its intervenants): administrators only."""
    require_perm(request.user, "comptes.voir_journal_audit")
    menage = get_visible_or_404(Menage.objects, request.user, pk=pk)
    entries = (
        LogEntry.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(Menage), object_id=menage.pk)
            | Q(
                content_type=ContentType.objects.get_for_model(Intervenant),
                additional_data__menage_id=menage.pk,
            )
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "menages/journal.html", {"menage": menage, "page": page})
