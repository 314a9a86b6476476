from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comptes import lockout, services
from comptes.access import get_visible_or_404, require_perm
from comptes.forms import (
    ActivationForm,
    CodeForm,
    NiveauFormSet,
    OrganisationForm,
    ParametresDispositifForm,
)
from comptes.middleware import two_factor_not_required
from comptes.models import BattementService, Dispositif, Organisation

RECOVERY_CODES_SESSION_KEY = "asea_codes_de_secours"


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down" for a health probe
        return False, type(exc).__name__
    return True, "ok"


def _check_broker():
    from celery import current_app as app

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


def _next_url(request):
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _group(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@two_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def double_authentification_activer(request):
    """Enrolment: a QR code (and the secret in text) for an authenticator app, then a code to prove
    it works. Only for a user who has no confirmed device; a lost phone is reset by an
    administrator."""
    if services.has_totp_device(request.user):
        return redirect("double_authentification")
    device = services.start_totp_enrolment(utilisateur=request.user)
    form = ActivationForm(request.POST or None)
    if form.is_valid():
        codes = services.confirm_totp_enrolment(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            messages.success(request, "La double authentification est activée.")
            query = urlencode({REDIRECT_FIELD_NAME: _next_url(request)})
            return redirect(f"{reverse('double_authentification_codes')}?{query}")
        form.add_error("code", "Ce code ne correspond pas. Vérifiez l’heure de votre téléphone et réessayez.")
    secret = _group(b32encode(device.bin_key).decode().rstrip("="))
    # segno writes only <svg>, <title> and <path> elements with presentation attributes: no script,
    # no style attribute, so the page keeps to the Content-Security-Policy.
    qr = segno.make(device.config_url, error="m")
    qr_svg = mark_safe(qr.svg_inline(scale=5, title="QR code à scanner"))  # noqa: S308
    return render(
        request,
        "registration/double_authentification_activer.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": _next_url(request)},
    )


@two_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def double_authentification_verifier(request):
    """Second step of login: a code from the authenticator app or a recovery code."""
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return redirect(_next_url(request))
    if not services.has_totp_device(user):
        return redirect("double_authentification_activer")
    form = CodeForm(request.POST or None)
    ip = lockout.client_ip(request)
    if form.is_valid():
        until = lockout.locked_until(username=user.get_username(), ip=ip)
        if until is None:
            if services.verify_second_factor(request=request, code=form.cleaned_data["code"]):
                return redirect(_next_url(request))
            until = lockout.locked_until(username=user.get_username(), ip=ip)
        if until:
            form.add_error(None, lockout.lockout_message(until))
        else:
            form.add_error("code", "Code incorrect ou déjà utilisé.")
    return render(
        request,
        "registration/double_authentification_verifier.html",
        {"form": form, "next": _next_url(request)},
    )


@never_cache
@require_GET
def double_authentification_codes(request):
    """The recovery codes just generated, shown once."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    return render(
        request,
        "registration/double_authentification_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@never_cache
@require_GET
def double_authentification(request):
    return render(
        request,
        "registration/double_authentification.html",
        {
            "active": services.has_totp_device(request.user),
            "codes_restants": services.remaining_recovery_codes(request.user),
        },
    )


@require_POST
def double_authentification_nouveaux_codes(request):
    request.session[RECOVERY_CODES_SESSION_KEY] = services.regenerate_recovery_codes(utilisateur=request.user)
    messages.success(request, "De nouveaux codes de secours ont été créés ; les anciens ne servent plus.")
    return redirect("double_authentification_codes")


@never_cache
def journal_utilisateur(request, pk):
    """What one user opened and changed: administrators only."""
    from auditlog.models import LogEntry
    from django.core.paginator import Paginator
    from django.shortcuts import get_object_or_404

    from comptes.access import require_perm
    from comptes.confidentialite import lignes_journal
    from comptes.selectors import utilisateurs_administrables

    require_perm(request.user, "comptes.voir_journal_audit")
    utilisateur = get_object_or_404(utilisateurs_administrables(request.user), pk=pk)
    entries = LogEntry.objects.filter(actor=utilisateur).select_related("content_type").order_by("-timestamp")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "comptes/journal_utilisateur.html",
        {"utilisateur": utilisateur, "page": page, "lignes": lignes_journal(page, request.user)},
    )


class Deconnexion(LogoutView):
    """Logging out also empties what the browser keeps for this site: the visit drafts of the
    field pages, their cached forms and the service worker. The next person on a shared tablet
    finds nothing (static/js/brouillons.js clears the drafts too, for browsers ignoring the header)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


# The administrators' pages: organisations and programme settings, in their programmes only.

ADMINISTRER = "comptes.administrer_dispositif"


def _perimetre(user):
    return Dispositif.objects.visible_to(user).order_by("nom")


@never_cache
def administration_organisations(request):
    require_perm(request.user, ADMINISTRER)
    perimetre = _perimetre(request.user)
    organisations = (
        Organisation.objects.visible_to(request.user)
        .prefetch_related(Prefetch("dispositifs", queryset=perimetre, to_attr="dispositifs_geres"))
        .annotate(nb_utilisateurs=Count("utilisateurs", filter=Q(utilisateurs__is_active=True)))
        .order_by("nom")
    )
    return render(
        request,
        "comptes/administration/organisations.html",
        {"organisations": organisations, "perimetre": perimetre},
    )


def _organisation_form(request, organisation):
    perimetre = _perimetre(request.user)
    form = OrganisationForm(request.POST or None, instance=organisation, perimetre=perimetre)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_organisation(
            organisation=form.save(commit=False),
            dispositifs=form.cleaned_data["dispositifs"],
            perimetre=perimetre,
        )
        messages.success(request, f"L’organisation « {form.instance.nom} » est enregistrée.")
        return redirect("administration_organisations")
    titre = f"Modifier l’organisation {organisation}" if organisation.pk else "Nouvelle organisation"
    return render(request, "comptes/administration/organisation_form.html", {"form": form, "titre": titre})


@never_cache
@require_http_methods(["GET", "POST"])
def administration_organisation_creer(request):
    require_perm(request.user, ADMINISTRER)
    return _organisation_form(request, Organisation())


@never_cache
@require_http_methods(["GET", "POST"])
def administration_organisation_modifier(request, pk):
    organisation = get_visible_or_404(Organisation.objects, request.user, perm=ADMINISTRER, pk=pk)
    return _organisation_form(request, organisation)


@never_cache
def administration_dispositifs(request):
    require_perm(request.user, ADMINISTRER)
    dispositifs = _perimetre(request.user).prefetch_related("niveaux")
    return render(request, "comptes/administration/dispositifs.html", {"dispositifs": dispositifs})


@never_cache
@require_http_methods(["GET", "POST"])
def administration_dispositif(request, pk):
    """A programme's settings and its levels, saved together."""
    dispositif = get_visible_or_404(Dispositif.objects, request.user, perm=ADMINISTRER, pk=pk)
    data = request.POST or None
    form = ParametresDispositifForm(data, instance=dispositif)
    niveaux = NiveauFormSet(data, queryset=dispositif.niveaux.order_by("ordre"), prefix="niveaux")
    if request.method == "POST" and form.is_valid() and niveaux.is_valid():
        services.modifier_parametres(
            dispositif=form.save(commit=False),
            niveaux=niveaux.save(commit=False),
            financeurs_validation=form.cleaned_data["financeurs_validation_requise"],
        )
        messages.success(request, f"Les paramètres du dispositif « {dispositif.nom} » sont enregistrés.")
        return redirect("administration_dispositifs")
    return render(
        request,
        "comptes/administration/dispositif_form.html",
        {"dispositif": dispositif, "form": form, "niveaux": niveaux},
    )


@require_POST
def changer_dispositif(request):
    """The header's selector: the programme the user works in from now on, among the active
    programmes of their organisation, kept in the session (`DispositifCourantMiddleware`). The
    dashboard follows, since the page left may belong to the other programme."""
    from comptes.selectors import DISPOSITIF_COURANT_SESSION_KEY, memoriser_programmes

    siens = memoriser_programmes(request.session, request.user)
    choisi = next(
        (d for d in siens if d["actif"] and str(d["pk"]) == request.POST.get("dispositif", "")), None
    )
    if choisi is None:
        messages.error(request, "Ce dispositif n’est pas l’un des vôtres : rien n’a changé.")
        return redirect("tableau_de_bord")
    request.session[DISPOSITIF_COURANT_SESSION_KEY] = choisi["pk"]
    messages.success(request, f"Vous travaillez maintenant dans le dispositif {choisi['nom']}.")
    return redirect("tableau_de_bord")
