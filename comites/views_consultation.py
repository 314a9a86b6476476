"""The urgent consultation's pages: the secretary consults the members by email (after a page that
says who will be written to, about which files), and the member's opinion page reached from the
email's signed link (no login, like the funders' validation link; see comites.consultation)."""

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from comites import consultation
from comites.forms import AvisForm
from comites.views import _seance
from comptes.access import require_perm
from menages.selectors import resume_anonymise


@never_cache
def consulter(request, pk):
    """GET: who will get the email and about which files (references only); POST: send it."""
    seance = _seance(request, pk)
    require_perm(request.user, "comites.animer_seance", seance)
    if request.method == "POST":
        try:
            consultation.consulter_les_membres(seance=seance, auteur=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("comites:consulter", pk=seance.pk)
        messages.success(
            request,
            "Les membres votants sont consultés : chacun reçoit par courriel un lien personnel par dossier.",
        )
        return redirect(seance)
    context = {
        "seance": seance,
        "obstacles": consultation.obstacles_a_la_consultation(seance),
        "membres": list(consultation.membres_consultes(seance)),
        "points": list(seance.points.a_decider().select_related("menage").order_by("ordre", "pk")),
        "validite_jours": consultation.VALIDITE_LIEN_JOURS,
    }
    return render(request, "comites/consultation/consulter.html", context)


@login_not_required
@never_cache
def avis_par_lien(request, token):
    """The page a member reaches from the consultation email. GET only shows (mail scanners open
    links); the opinion is recorded on POST, once. It shows what a committee member reads about a
    file they may not open: the anonymised summary and the proposal, never a name nor a note."""
    erreur, membre, point = None, None, None
    try:
        membre, point = consultation.charger_lien(token)
    except consultation.LienInvalide as exc:
        erreur = str(exc)
    form = AvisForm(request.POST if request.method == "POST" else None)
    if erreur is None and request.method == "POST" and form.is_valid():
        try:
            with set_actor(membre.utilisateur):
                avis = consultation.donner_avis_par_lien(membre=membre, point=point, **form.cleaned_data)
        except ValidationError as exc:
            erreur = " ".join(exc.messages)
        else:
            return render(request, "comites/consultation/merci.html", {"avis": avis, "point": point})
    context = {
        "erreur": erreur,
        "form": form,
        "membre": membre,
        "point": point,
        "resume": resume_anonymise(point.menage) if erreur is None else None,
    }
    return render(request, "comites/consultation/avis.html", context, status=400 if erreur else 200)
