import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accueil import agenda as agenda_
from accueil import ical, selectors, services
from accueil.models import JetonCalendrier
from comites.enums import ROLES_ANIMATION
from comites.permissions import roles_de_mandat
from comites.selectors import seances_a_regulariser, tableau_comite
from comptes.models import Dispositif
from comptes.permissions import is_financeur, is_membre_comite
from comptes.selectors import dispositifs_de
from financement.secret_statistique import masquer_repartitions
from financement.selectors import dispositifs_consolides
from logements.selectors import tableau_attributions, tableau_cesf
from rappels.notifications import nouveautes_dossier_locatif


@never_cache
def tableau_de_bord(request):
    """The home page of every role: one widget for each thing the user's roles give access to."""
    user = request.user
    est_membre_comite = is_membre_comite(user)
    context = {
        "voit_menages": user.has_perm("menages.voir_menages"),
        "voit_indicateurs": is_financeur(user) or est_membre_comite,
        "est_membre_comite": est_membre_comite,
        "est_administrateur": user.est_administrateur,
        # A national or regional funder: the consolidated figures of its programmes, no household.
        "voit_consolide": user.has_perm("financement.voir_consolide") and not user.est_administrateur,
    }
    if context["voit_consolide"]:
        context["dispositifs_consolides"] = list(dispositifs_consolides(user).order_by("nom"))
    if context["voit_menages"]:
        context["mes_menages"] = selectors.mes_menages(user)
    if context["voit_indicateurs"]:
        # The programmes are shown with the figures only.
        context["dispositifs"] = list(dispositifs_de(user))
        # Under statistical secrecy: no « < 3 » recomputed from the total and the other rows.
        context["chiffres"] = masquer_repartitions(
            selectors.chiffres_dispositifs(user, [d.pk for d in context["dispositifs"]])
        )
    if context["est_membre_comite"]:
        context["comite"] = tableau_comite(user)
    else:
        # The secretary of a body is often a social worker: the sessions she runs that were left
        # open after their day reach her here (committee members see them in their widget).
        # Without an active mandate as chair or secretary (read once a request, the menu asks
        # for her mandates too) she runs none.
        if user.est_administrateur or roles_de_mandat(user) & ROLES_ANIMATION:
            context["a_regulariser"] = seances_a_regulariser(user)
    if context["est_administrateur"]:
        # The households of the programme are those she sees: counted once, for both widgets.
        total = context["mes_menages"]["total"] if context["voit_menages"] else None
        context["admin"] = selectors.chiffres_administration(user, nombre_menages=total)
    elif user.has_perm("logements.voir_dossier_locatif"):
        context["cesf"] = tableau_cesf(user)
        # Caretakers' reports, complaints and eviction steps since her last visit.
        context["nouveautes"] = nouveautes_dossier_locatif(user)
    if user.has_perm("logements.voir_attributions") and not user.est_administrateur:
        # The landlord's staff who place households: their attribution pipeline.
        context["attributions"] = tableau_attributions(user, cartes=False)
    return render(request, "accueil/tableau_de_bord.html", context)


@never_cache
def plancher(request):
    """The benchmarks' floor: a logged-in page of the same layout that makes one query itself."""
    return render(
        request, "accueil/plancher.html", {"dispositifs": Dispositif.objects.filter(actif=True).count()}
    )


@never_cache
def agenda(request):
    """The week of the user's diary: one list per day. Any user may open hers; what it shows is
    scoped to the households and sessions she may see."""
    aujourdhui = timezone.localdate()
    erreur = False
    try:
        jour = datetime.date.fromisoformat(request.GET.get("semaine") or aujourdhui.isoformat())
    except ValueError:
        jour, erreur = aujourdhui, True
    if not datetime.date(2000, 1, 1) <= jour <= datetime.date(2100, 1, 1):
        jour, erreur = aujourdhui, True
    debut = agenda_.lundi(jour)
    jours = agenda_.semaine(request.user, debut)
    # The contact forms of today's households, fetched by the tablet so that they open without
    # network later in the day (static/js/prechargement.js; each fetch is logged as an access:
    # the household's data does reach the device).
    du_jour = set()
    if request.user.has_perm("accompagnement.saisir_contact"):
        du_jour = {e.menage_id for j, entrees in jours if j == aujourdhui for e in entrees if e.menage_id}
    return render(
        request,
        "accueil/agenda.html",
        {
            "jours": jours,
            "debut": debut,
            "fin": debut + datetime.timedelta(days=6),
            "precedente": debut - datetime.timedelta(days=7),
            "suivante": debut + datetime.timedelta(days=7),
            "cette_semaine": agenda_.lundi(aujourdhui),
            "aujourdhui": aujourdhui,
            "erreur_date": erreur,
            "nombre": sum(len(entrees) for _, entrees in jours),
            "a_precharger": [reverse("accompagnement:contact", args=[pk]) for pk in sorted(du_jour)],
            # Today's entries link straight to the kept form: the rest of the file needs the network.
            "noter_contact": du_jour,
        },
    )


# The feed covers the past month and the next six: enough to plan, little to expose.
FLUX_JOURS_AVANT = 31
FLUX_JOURS_APRES = 183
# The new address is shown once, on the page the creation redirects to.
CLE_SESSION_JETON = "accueil_jeton_calendrier"


@never_cache
def calendrier(request):
    """The diary in one's own calendar: what the feed holds, its address when just made, and the
    confirmation to make it (or replace it: the previous address stops working)."""
    if request.method == "POST":
        request.session[CLE_SESSION_JETON] = services.creer_jeton_calendrier(utilisateur=request.user)
        return redirect("accueil:calendrier")
    jeton = request.session.pop(CLE_SESSION_JETON, None)
    adresse = request.build_absolute_uri(reverse("accueil:flux", args=[jeton])) if jeton else None
    actuel = JetonCalendrier.objects.filter(utilisateur=request.user).first()
    return render(request, "accueil/calendrier.html", {"adresse": adresse, "actuel": actuel})


@never_cache
def calendrier_revoquer(request):
    """Confirmation (GET), then revocation (POST) of the feed's address."""
    actuel = JetonCalendrier.objects.filter(utilisateur=request.user).first()
    if request.method == "POST":
        if services.revoquer_jeton_calendrier(utilisateur=request.user):
            messages.success(request, "L’adresse de votre agenda est révoquée : elle ne fonctionne plus.")
        return redirect("accueil:calendrier")
    return render(request, "accueil/calendrier_revoquer.html", {"actuel": actuel})


@login_not_required
@require_GET
def flux(request, token):
    """The diary as an iCalendar feed, read by a calendar application with the secret of its
    address (no login). It names no household and no person: kinds, references and links, which
    themselves require logging in."""
    user = services.utilisateur_du_jeton(token)
    if user is None:
        raise Http404
    aujourdhui = timezone.localdate()
    entrees = agenda_.entrees(
        user,
        aujourdhui - datetime.timedelta(days=FLUX_JOURS_AVANT),
        aujourdhui + datetime.timedelta(days=FLUX_JOURS_APRES),
    )
    base_url = f"{request.scheme}://{request.get_host()}"
    contenu = ical.calendrier(entrees, base_url=base_url, domaine=request.get_host().split(":")[0])
    response = HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
