from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from comptes import selectors
from comptes.models import BattementService
from comptes.permissions import is_financeur, is_membre_comite


@never_cache
def tableau_de_bord(request):
    user = request.user
    context = {
        "dispositifs": list(selectors.dispositifs_of(user)),
        "voit_menages": user.has_perm("menages.voir_menages"),
        "voit_indicateurs": is_financeur(user) or is_membre_comite(user),
        "est_membre_comite": is_membre_comite(user),
        "est_administrateur": user.est_administrateur,
    }
    if context["voit_menages"]:
        context["mes_menages"] = selectors.my_households(user)
    if context["voit_indicateurs"]:
        context["chiffres"] = selectors.programme_figures(user)
    if context["est_membre_comite"]:
        from comites.selectors import tableau_comite

        context["comite"] = tableau_comite(user)
    if context["est_administrateur"]:
        context["admin"] = selectors.admin_figures()
    return render(request, "comptes/tableau_de_bord.html", context)


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down" for a health probe
        return False, type(exc).__name__
    return True, "ok"


def _check_broker():
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # idem
        return False, type(exc).__name__
    return True, "ok"


@login_not_required
@never_cache
@require_GET
def sante(request):
    """Health probe: 200 when the database answers, 503 otherwise; the broker's state is reported
    but does not fail the probe, since the pages work without it."""
    db_ok, db_detail = _check_database()
    broker_ok, broker_detail = _check_broker()
    worker = None
    if db_ok:
        beat = BattementService.objects.filter(nom="worker").first()
        worker = timezone.localtime(beat.vu_le).isoformat() if beat else None
    body = {
        "statut": "ok" if db_ok else "erreur",
        "base_de_donnees": db_detail,
        "broker": broker_detail,
        "dernier_battement_worker": worker,
    }
    return JsonResponse(body, status=200 if db_ok else 503)
