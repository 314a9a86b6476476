import datetime

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accueil import agenda as agenda_
from accueil import selectors
from comites.selectors import seances_a_regulariser, tableau_comite
from comptes.models import Dispositif
from comptes.permissions import is_financeur, is_membre_comite
from comptes.selectors import dispositifs_de
from financement.secret_statistique import masquer_repartitions
from logements.selectors import tableau_cesf
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
    }
    if context["voit_menages"]:
        context["mes_menages"] = selectors.mes_menages(user)
    if context["voit_indicateurs"]:
        # The programmes are shown with the figures only.
        context["dispositifs"] = list(dispositifs_de(user))
        # Under statistical secrecy: no « < 3 » recomputed from the total and the other rows.
        context["chiffres"] = masquer_repartitions(selectors.chiffres_dispositifs(user))
    if context["est_membre_comite"]:
        context["comite"] = tableau_comite(user)
    else:
        # The secretary of a body is often a social worker: the sessions she runs that were left
        # open after their day reach her here (committee members see them in their widget).
        context["a_regulariser"] = seances_a_regulariser(user)
    if context["est_administrateur"]:
        context["admin"] = selectors.chiffres_administration()
    elif user.has_perm("logements.voir_dossier_locatif"):
        # Her tenants are the households she sees: counted once, for both widgets.
        total = context["mes_menages"]["total"] if context["voit_menages"] else None
        context["cesf"] = tableau_cesf(user, nombre_locataires=total)
        # Caretakers' reports, complaints and eviction steps since her last visit.
        context["nouveautes"] = nouveautes_dossier_locatif(user)
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
        },
    )
