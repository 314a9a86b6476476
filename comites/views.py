import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accompagnement import selectors as suivi
from accompagnement.models import Accompagnement, Objectif
from accompagnement.permissions import can_propose_level
from comites import documents, permissions, selectors, services
from comites.enums import Avis, StatutSeance
from comites.forms import (
    DECISION_PAR_TYPE_POINT,
    AvisForm,
    DecisionForm,
    DemandeForm,
    DeplacerSeanceForm,
    InstanceForm,
    PointForm,
    RenvoiDiagnosticForm,
    SansSeanceForm,
    SeanceForm,
    SyntheseForm,
)
from comites.models import AvisMembre, Instance, PointOrdreDuJour, Presence, Seance
from comptes.access import get_visible_or_404, require_perm
from comptes.audit import record_view
from comptes.confidentialite import lit_reserve
from comptes.journal_acces import journaliser
from comptes.lecture import Lot
from menages import selectors as menages_selectors
from menages.enums import ETATS_ACCOMPAGNEMENT, EtatParcours, TypeDiagnostic
from menages.models import Intervenant, Membre, Menage
from menages.permissions import can_transition
from menages.selectors import avec_resume, charger_menage, resume_anonymise


def _s(n: int) -> str:
    """The plural mark in French: 0 and 1 are singular."""
    return "s" if n > 1 else ""


# Where what a refused committee action asks for is done, by the refusal's code: the link's
# wording and its address for the session.
REMEDES = {
    "quorum": ("Enregistrer les présences", lambda s: f"{s.get_absolute_url()}#presences"),
    "quorum_avis": ("Voir l’ordre du jour", lambda s: f"{s.get_absolute_url()}#ordre-du-jour"),
    "date_passee": ("Déplacer la séance", lambda s: reverse("comites:seance_deplacer", args=[s.pk])),
}


def refus_avec_lien(exc: ValidationError, seance):
    """The refusal's text, each requirement followed by a link to the page where it is met (built
    with format_html: the messages and form templates show the link and escape the rest)."""
    parts = []
    for error in exc.error_list:
        texte = " ".join(error)
        remede = REMEDES.get(error.code)
        if remede:
            libelle, url = remede
            parts.append(
                format_html('{} <a class="alert-link" href="{}">{}</a>', texte, url(seance), libelle)
            )
        else:
            parts.append(texte)
    return format_html_join(" ", "{}", ((p,) for p in parts))


@never_cache
def seances(request):
    require_perm(request.user, "comites.voir")
    qs = (
        Seance.objects.visible_to(request.user).select_related("instance").annotate(nb_points=Count("points"))
    )
    maintenant = timezone.now()
    context = {
        "a_venir": qs.filter(date__gte=maintenant).order_by("date")[:12],
        "passees": qs.filter(date__lt=maintenant).order_by("-date")[:12],
        "instances": Instance.objects.animees_par(request.user).select_related("dispositif"),
        "a_regulariser": selectors.seances_a_regulariser(request.user),
    }
    return render(request, "comites/seances.html", context)


@never_cache
def seance_creer(request, instance_pk):
    instance = get_object_or_404(Instance.objects.animees_par(request.user), pk=instance_pk)
    form = SeanceForm(request.POST or None, initial={"lieu": instance.lieu_habituel})
    if request.method == "POST" and form.is_valid():
        seance = form.save(commit=False)
        seance.instance = instance
        seance.save()
        messages.success(request, "La séance est créée.")
        return redirect(seance)
    return render(request, "comites/form.html", {"form": form, "titre": f"Nouvelle séance – {instance}"})


@never_cache
@require_POST
def proposer(request, instance_pk):
    instance = get_object_or_404(Instance.objects.animees_par(request.user), pk=instance_pk)
    creees = services.proposer_seances(instance=instance)
    messages.success(
        request,
        (
            f"{len(creees)} séance{_s(len(creees))} proposée{_s(len(creees))} d’ici la fin de la convention, "
            "chacune un jour ouvré. Vous pouvez déplacer chaque séance depuis sa page."
            if creees
            else "Aucune séance à proposer : chaque période de la convention a déjà la sienne."
        ),
    )
    return redirect("comites:seances")


def _seance(request, pk):
    require_perm(request.user, "comites.voir")
    return get_object_or_404(
        Seance.objects.visible_to(request.user).select_related(
            "instance__dispositif", "pv_approuve_par__instance"
        ),
        pk=pk,
    )


# A session's agenda can hold hundreds of items (every file due in a large programme): it is read
# a page at a time, the items numbered across pages.
POINTS_PAR_PAGE = 50


def _page_du_point(point) -> int:
    """The agenda page on which `point` stands, by its place in the session's order."""
    avant = point.seance.points.filter(
        Q(ordre__lt=point.ordre) | Q(ordre=point.ordre, pk__lt=point.pk)
    ).count()
    return avant // POINTS_PAR_PAGE + 1


@never_cache
def seance(request, pk):
    seance = _seance(request, pk)
    ordre = seance.points.order_by("ordre", "pk")
    page = Paginator(ordre.values_list("pk", flat=True), POINTS_PAR_PAGE).get_page(request.GET.get("page"))
    # The page's items are picked by their place first, so that the opinions are counted for
    # these items only.
    avis = AvisMembre.objects.filter(point=OuterRef("pk")).order_by()
    page.object_list = list(
        ordre.filter(pk__in=page.object_list)
        .select_related("menage")
        .only(
            "seance_id",
            "menage__nom",
            "menage__reference",
            "type",
            "ordre",
            "decision",
            "synthese_initiales",
        )
        .annotate(
            nb_avis=Coalesce(Subquery(avis.values("point").annotate(n=Count("pk")).values("n")), 0),
            mon_avis=Subquery(avis.filter(membre__utilisateur=request.user).values("avis")[:1]),
        )
    )
    membres = seance.instance.membres.actifs().select_related("utilisateur__organisation")
    presences = {p.membre_id: p for p in Presence.objects.filter(seance=seance)}
    libelles_avis = dict(Avis.choices)
    # Asked once for the page, not once per item (the answer depends on the session only).
    peut_modifier = permissions.can_change_seance(request.user, seance)
    for point in page:
        point.mon_avis_libelle = libelles_avis.get(point.mon_avis, "")
        point.peut_retirer = peut_modifier and point.retirable
    presents, requis, atteint = services.quorum(seance)
    context = {
        "seance": seance,
        "page": page,
        "membres": [(m, presences.get(m.pk)) for m in membres],
        "quorum": {"presents": presents, "requis": requis, "atteint": atteint},
        "peut_modifier": peut_modifier,
        "pv_approuves": seance.pv_approuves.order_by("date"),
        "initiales": seance.initiales_seulement,
        "noms_visibles": set(
            Menage.objects.visible_to(request.user)
            .filter(pk__in=[p.menage_id for p in page])
            .values_list("pk", flat=True)
        ),
    }
    return render(request, "comites/seance.html", context)


def _seance_ouverte_a_animer(request, pk):
    """(the session, still open): for whoever runs it; a settled session says so in a message."""
    seance = _seance(request, pk)
    require_perm(request.user, "comites.animer_seance", seance)
    if seance.close:
        messages.info(request, f"La séance est {seance.get_statut_display().lower()}.")
        return seance, False
    return seance, True


@never_cache
def seance_deplacer(request, pk):
    seance, ouverte = _seance_ouverte_a_animer(request, pk)
    if not ouverte:
        return redirect(seance)
    form = DeplacerSeanceForm(request.POST or None, initial={"date": timezone.localtime(seance.date)})
    if request.method == "POST" and form.is_valid():
        convoquee = seance.statut == StatutSeance.CONVOQUEE
        try:
            services.deplacer_seance(seance=seance, date=form.cleaned_data["date"])
        except ValidationError as exc:
            form.add_error("date", exc)
        else:
            message = "La séance est déplacée."
            if convoquee:
                message += " La convocation envoyée donnait l’ancienne date : envoyez-en une nouvelle."
            messages.success(request, message)
            return redirect(seance)
    return render(
        request,
        "comites/form.html",
        {"form": form, "titre": f"Déplacer la séance – {seance}", "seance": seance},
    )


@never_cache
def seance_clore(request, pk):
    """GET lists what closing the session does; POST does it."""
    seance, ouverte = _seance_ouverte_a_animer(request, pk)
    if not ouverte:
        return redirect(seance)
    if request.method == "POST":
        try:
            services.clore_seance(seance=seance)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("comites:seance_clore", pk=seance.pk)
        messages.success(
            request, "La séance est tenue et close : le procès-verbal est en cours de production."
        )
        return redirect(seance)
    presents, requis, atteint = services.quorum(seance)
    context = {
        "seance": seance,
        "bilan": selectors.bilan_cloture(seance),
        "quorum": {"presents": presents, "requis": requis, "atteint": atteint},
    }
    return render(request, "comites/clore.html", context)


@never_cache
def seance_sans_seance(request, pk):
    """Record that the session did not take place (not held, or cancelled), with the reason."""
    seance, ouverte = _seance_ouverte_a_animer(request, pk)
    if not ouverte:
        return redirect(seance)
    initial = {"statut": StatutSeance.NON_TENUE if seance.jour_passe else StatutSeance.ANNULEE}
    form = SansSeanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            seance = services.constater_absence_de_seance(seance=seance, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"La séance est enregistrée comme {seance.get_statut_display().lower()}."
            )
            return redirect(seance)
    return render(
        request,
        "comites/form.html",
        {"form": form, "titre": f"Séance non tenue ou annulée – {seance}", "seance": seance},
    )


@never_cache
@require_POST
def seance_action(request, pk, action):
    seance = _seance(request, pk)
    require_perm(request.user, "comites.animer_seance", seance)
    try:
        if action == "construire":
            crees = services.construire_ordre_du_jour(seance=seance)
            messages.success(
                request,
                f"{len(crees)} point{_s(len(crees))} ajouté{_s(len(crees))} à l’ordre du jour depuis les dossiers.",
            )
        elif action == "convoquer":
            services.envoyer_convocation(seance=seance)
            messages.success(request, "La convocation est envoyée aux membres, avec l’invitation d’agenda.")
        elif action == "presences":
            membres = seance.instance.membres.actifs()
            ids = {int(i) for i in request.POST.getlist("presents") if i.isdigit()}
            excuses = {int(i) for i in request.POST.getlist("excuses") if i.isdigit()}
            services.enregistrer_presences(
                seance=seance, presents=membres.filter(pk__in=ids), excuses=membres.filter(pk__in=excuses)
            )
            messages.success(request, "Les présences sont enregistrées.")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, refus_avec_lien(exc, seance))
    return redirect(seance)


@never_cache
def point_ajouter(request, pk):
    seance = _seance(request, pk)
    require_perm(request.user, "comites.animer_seance", seance)
    form = PointForm(request.POST or None, dispositif=seance.instance.dispositif)
    if request.method == "POST" and form.is_valid():
        menage = Menage.objects.filter(
            reference__iexact=form.cleaned_data["reference"].strip(), dispositif=seance.instance.dispositif
        ).first()
        if menage is None:
            form.add_error("reference", "Aucun dossier de ce dispositif ne porte cette référence.")
        else:
            try:
                services.ajouter_point(
                    seance=seance,
                    menage=menage,
                    type=form.cleaned_data["type"],
                    motif=form.cleaned_data["motif"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Le point est ajouté.")
                return redirect(seance)
    return render(request, "comites/form.html", {"form": form, "titre": "Ajouter un point", "seance": seance})


def _point(request, pk):
    return get_visible_or_404(
        PointOrdreDuJour.objects.select_related("seance__instance", "menage__dispositif"),
        request.user,
        perm="comites.voir",
        pk=pk,
    )


@never_cache
@require_POST
def point_deplacer(request, pk):
    """Move an item up or down the agenda, or take it off (the button pressed: `sens`)."""
    point = _point(request, pk)
    require_perm(request.user, "comites.animer_seance", point.seance)
    sens = request.POST.get("sens")
    if sens not in ("monter", "descendre", "retirer"):
        return HttpResponseBadRequest("Action inconnue : monter, descendre ou retirer.")
    if sens == "retirer":
        page = _page_du_point(point)
        try:
            services.retirer_point(point=point)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{point.seance.get_absolute_url()}?page={page}#ordre-du-jour")
    services.deplacer_point(point=point, vers=-1 if sens == "monter" else 1)
    point.refresh_from_db(fields=["ordre"])
    # Back to the page where the item now stands, on the item.
    return redirect(f"{point.seance.get_absolute_url()}?page={_page_du_point(point)}#point-{point.pk}")


def menage_du_point(point, user):
    """The item's household with what its case summary shows (its resources, debts and
    difficulties summed and listed in the same query, `avec_resume`), and `lisible`: whether
    `user` may open its file (`_peut_voir_nom`), in the same query."""
    return (
        avec_resume(Menage.objects.select_related("commune", "bailleur"))
        .annotate(lisible=Exists(Menage.objects.visible_to(user).filter(pk=OuterRef("pk"))))
        .prefetch_related(*_PREFETCH_RESUME)
        .get(pk=point.menage_id)
    )


# A household's members in the model's order, without its join on the household.
_MEMBRES = Membre.objects.order_by("date_naissance", "pk")
_PREFETCH_RESUME = (Prefetch("membres", queryset=_MEMBRES), "diagnostics")


def resume_point(point, initiales: bool, user, menage=None, objectifs=None) -> dict:
    """The case summary a member reads: facts, diagnostic scores, support, objectives, the proposal
    and its reasons. Never a contact note nor a diagnostic observation; the health score and the
    objectives classified confidential only for a reader who may read them. `menage`: the item's
    household as `menage_du_point` reads it, and `objectifs`: its objectives `user` may read, if
    the page has them already."""
    menage = menage or menage_du_point(point, user)
    diagnostic = next(
        (
            d
            for d in menage.diagnostics.all()
            if d.numero_parcours == menage.numero_parcours and d.type == TypeDiagnostic.ENTREE
        ),
        None,
    )
    return {
        "menage": menage,
        "nom": menage.initiales if initiales else menage.nom,
        "faits": resume_anonymise(menage),
        "scores": [(d.label, libelle) for d, libelle, _score, _obs in diagnostic.domaines(user)]
        if diagnostic
        else [],
        "accompagnement": menage.accompagnement_en_cours
        if hasattr(menage, "accompagnement_en_cours")
        else Accompagnement.objects.en_cours().filter(menage=menage).first(),
        "objectifs": Objectif.objects.of_visible_menage(menage, user) if objectifs is None else objectifs,
    }


def _point_et_voisins(request, pk):
    """The item as `_point` loads it (the same access rule), with whether the reader may open its
    household's file (`menage_lisible`) in the same query; what the summary shows of the household
    is read with the page's other records (`_menage_lu`). The programme is not joined: the page
    does not show it, and its wide row made the query's planning a third slower (1.74 → 1.16 ms at
    10,000 households); a decision that needs it reads it."""
    user = request.user
    return get_visible_or_404(
        PointOrdreDuJour.objects.select_related(
            "seance__instance", "menage__commune", "menage__bailleur"
        ).annotate(menage_lisible=Exists(Menage.objects.visible_to(user).filter(pk=OuterRef("menage_id")))),
        user,
        perm="comites.voir",
        pk=pk,
    )


def _menage_lu(point, lot):
    """The household of `_point_et_voisins`'s item as `menage_du_point` reads it, its records added
    to `lot` (read with the page's other records, each compiled once: comptes.lecture.Gabarit):
    its members, diagnostics, resources, debts and difficulties, and its support in progress."""
    menage = point.menage
    menage.lisible = point.menage_lisible
    lot.precharger(
        menage,
        {
            "membres": menages_selectors.MEMBRES,
            "diagnostics": menages_selectors.DIAGNOSTICS,
            "ressources": menages_selectors.RESSOURCES,
            "dettes": menages_selectors.DETTES,
            "problemes": menages_selectors.PROBLEMES,
        },
    )
    en_cours = lot.requete(suivi.ACCOMPAGNEMENT_EN_COURS.pour(menage.pk))
    lot.ensuite(lambda: setattr(menage, "accompagnement_en_cours", en_cours[0] if en_cours else None))
    return menage


def _agenda(point):
    """The ids of the items of `point`'s session, in the agenda's order (a few dozen at most): read
    with the page's other records, they give the previous and next items' links."""
    return selectors.AGENDA.pour(point.seance_id)


def _navigation(point, agenda):
    """(previous item, next item) of the agenda, for their links: `agenda` is the ids of the
    session's items in their order (`_agenda`)."""
    if point.pk not in agenda:
        return None, None  # moved to another session since the item was read
    i = agenda.index(point.pk)
    return (
        PointOrdreDuJour(pk=agenda[i - 1]) if i > 0 else None,
        PointOrdreDuJour(pk=agenda[i + 1]) if i + 1 < len(agenda) else None,
    )


def _prochain_a_decider(point):
    """The next item awaiting a decision after `point` in the agenda, else the first one left."""
    restants = (
        point.seance.points.a_decider().exclude(pk=point.pk).only("pk", "ordre").order_by("ordre", "pk")
    )
    apres = Q(ordre__gt=point.ordre) | Q(ordre=point.ordre, pk__gt=point.pk)
    return restants.filter(apres).first() or restants.first()


def _cle_brouillon(point) -> str:
    return f"comites-decision-{point.pk}"


def _decision_form(point, data=None, decision=None):
    return DecisionForm(
        data,
        url_champs=point.get_absolute_url(),
        decision=decision or DECISION_PAR_TYPE_POINT.get(point.type),
        en_accompagnement=point.menage.etat in ETATS_ACCOMPAGNEMENT,
        initial={"niveau": point.niveau_propose, "duree_mois": point.duree_proposee_mois},
    )


def _peut_voir_nom(user, point) -> bool:
    """A name only for those who may open the household's file anyway (never a funder, never the
    other landlord's staff); others read initials."""
    return Menage.objects.visible_to(user).filter(pk=point.menage_id).exists()


@never_cache
def point(request, pk):
    champs_decision = request.headers.get("HX-Request") and "decision" in request.GET
    point = _point(request, pk) if champs_decision else _point_et_voisins(request, pk)
    seance = point.seance
    user = request.user
    if champs_decision:
        # The fields of the decision just chosen (htmx swap).
        if not permissions.can_decide_point(user, point):
            raise PermissionDenied
        form = _decision_form(point, decision=request.GET["decision"])
        return render(request, "comites/point.html#champs_decision", {"decision_form": form, "point": point})
    # The page's records in one round trip (comptes.lecture): the reader's mandate in the body,
    # which the rules below ask; the opinions (the reader's own among them); the agenda's ids; and,
    # but after a form posted (the household is read again below), the household's records the
    # summary shows and its objectives.
    lot = Lot()
    permissions.lire_mandat(user, seance.instance, lot)
    avis = lot.requete(selectors.AVIS.pour(point.pk))
    agenda = lot.requete(_agenda(point))
    menage = objectifs = None
    if request.method != "POST":
        menage = _menage_lu(point, lot)
        objectifs = lot.requete(suivi.OBJECTIFS.pour(menage.pk, lit_reserve(user)))
    lot.lire()
    peut_decider = permissions.can_decide_point(user, point)
    mandat = permissions.mandat(user, seance.instance)
    mon_avis = next((a for a in avis if a.membre_id == mandat.pk), None) if mandat else None
    avis_form = AvisForm(
        request.POST if request.POST.get("action") == "avis" else None,
        initial={"avis": mon_avis.avis, "commentaire": mon_avis.commentaire} if mon_avis else None,
    )
    # Without JavaScript, "Afficher les champs" posts the decision chosen to get its fields.
    choisir = bool(request.POST.get("choisir"))
    if request.POST.get("action") == "decision" and not choisir:
        decision_form = _decision_form(point, request.POST)
    else:
        decision_form = _decision_form(
            point, decision=request.POST.get("decision") or request.GET.get("decision")
        )
    if request.method == "POST" and not choisir:
        try:
            if request.POST.get("action") == "avis" and avis_form.is_valid():
                services.donner_avis(point=point, user=user, **avis_form.cleaned_data)
                messages.success(
                    request, "Votre avis est enregistré. Vous pouvez le modifier jusqu’à la décision."
                )
                return redirect(point)
            if request.POST.get("action") == "decision":
                if not peut_decider:
                    raise PermissionDenied
                if decision_form.is_valid():
                    # Tried and undone: a rule of the file that refuses it shows beside the form.
                    services.simuler_decision(point=point, auteur=user, **decision_form.arguments())
                    request.session[_cle_brouillon(point)] = {
                        name: request.POST.get(name, "") for name in decision_form.fields
                    }
                    return redirect("comites:point_decider", pk=point.pk)
        except ValidationError as exc:
            form = avis_form if request.POST.get("action") == "avis" else decision_form
            form.add_error(None, ValidationError(refus_avec_lien(exc, seance)))
    # After a decision tried and refused, the household is read again: the attempt changed it in
    # memory (undone in the database).
    if menage is None:
        menage = menage_du_point(point, user)
    peut_voir_nom = menage.lisible  # as _peut_voir_nom, read with the household
    initiales = point.initiales_seulement or not peut_voir_nom or request.GET.get("initiales") == "1"
    if point.a_une_synthese:
        # Committee members read what the referent wrote about the household: logged (once per
        # request: the loader has already logged the item).
        journaliser(point, user)
    precedent, suivant = _navigation(point, agenda)
    context = {
        "point": point,
        "seance": seance,
        "resume": resume_point(point, initiales, request.user, menage=menage, objectifs=objectifs),
        "synthese": selectors.synthese(point, initiales, menage=menage),
        "initiales": initiales,
        "peut_voir_nom": peut_voir_nom,
        "precedent": precedent,
        "suivant": suivant,
        "peut_ecrire_synthese": permissions.can_write_summary(user, point),
        "avis": avis,
        "avis_form": avis_form if permissions.can_give_avis(user, point) else None,
        "decision_form": decision_form if peut_decider else None,
        # Shown with the decision form only.
        "quorum": dict(zip(("presents", "requis", "atteint"), services.quorum(seance, point), strict=True))
        if peut_decider and not point.est_decide
        else None,
    }
    return render(request, "comites/point.html", context)


def _champs_lisibles(form) -> list[tuple[str, str]]:
    """(label, value as read) of the decision's fields that were filled."""
    lignes = []
    for name, field in form.fields.items():
        valeur = form.cleaned_data.get(name)
        if name == "decision" or valeur in (None, "", False):
            continue
        if valeur is True:
            texte = "oui"
        elif isinstance(valeur, datetime.date):
            texte = f"{valeur:%d/%m/%Y}"
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            texte = str(dict(field.choices).get(valeur, valeur))
        else:
            texte = str(valeur)
        lignes.append((field.label, texte))
    return lignes


@never_cache
def point_decider(request, pk):
    """The decision chosen on the item's page: GET says what it will do to the household's file
    and who will know; POST records and applies it."""
    point = _point(request, pk)
    if not permissions.can_decide_point(request.user, point):
        if point.est_decide:
            messages.info(request, "Ce point est déjà décidé.")
            return redirect(point)
        raise PermissionDenied
    brouillon = request.session.get(_cle_brouillon(point))
    form = _decision_form(point, brouillon) if brouillon else None
    if form is None or not form.is_valid():
        messages.info(request, "Choisissez d’abord la décision sur la page du point.")
        return redirect(point)
    if request.method == "POST":
        try:
            services.decider(point=point, auteur=request.user, **form.arguments())
        except ValidationError as exc:
            messages.error(request, refus_avec_lien(exc, point.seance))
            return redirect(point)
        request.session.pop(_cle_brouillon(point), None)
        suivant = _prochain_a_decider(point)
        if suivant is None:
            messages.success(
                request, "La décision est enregistrée et appliquée au dossier. Tous les points sont décidés."
            )
            return redirect(f"{point.seance.get_absolute_url()}#ordre-du-jour")
        messages.success(
            request, "La décision est enregistrée et appliquée au dossier. Voici le point suivant à décider."
        )
        return redirect(suivant)
    try:
        effet = services.simuler_decision(point=point, auteur=request.user, **form.arguments())
        obstacles = []
    except ValidationError as exc:
        effet, obstacles = {}, [refus_avec_lien(exc, point.seance)]
    initiales = point.initiales_seulement or not _peut_voir_nom(request.user, point)
    intervenants = (
        Intervenant.objects.actifs()
        .filter(menage=point.menage)
        .select_related("utilisateur", "organisation")
        .order_by("organisation__nom")
    )
    context = {
        "point": point,
        "seance": point.seance,
        "nom": point.menage.initiales if initiales else point.menage.nom,
        "form": form,
        "decision": form.cleaned_data["decision"],
        "donnees": form.cleaned_data,
        "libelle_decision": dict(form.fields["decision"].choices)[form.cleaned_data["decision"]],
        "champs": _champs_lisibles(form),
        "effet": effet,
        "obstacles": obstacles,
        "intervenants": intervenants,
        "destinataires_pv": selectors.destinataires(point.seance),
    }
    return render(request, "comites/decider.html", context)


@never_cache
def point_synthese(request, pk):
    """The referent's case summary for the committee. Loaded among the items of the households
    the user may see (others: 404); written by the referent organisation's workers (others: 403)."""
    point = get_object_or_404(
        PointOrdreDuJour.objects.filter(menage__in=Menage.objects.visible_to(request.user)).select_related(
            "seance__instance", "menage"
        ),
        pk=pk,
    )
    if not permissions.can_write_summary(request.user, point):
        raise PermissionDenied
    form = SyntheseForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        try:
            services.ecrire_synthese(point=point, auteur=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "La synthèse pour le comité est enregistrée.")
            return redirect(point.menage)
    return render(
        request,
        "comites/form.html",
        {
            "form": form,
            "titre": f"Synthèse pour le comité – {point.get_type_display()}, séance du "
            f"{timezone.localtime(point.seance.date):%d/%m/%Y}",
            "menage": point.menage,
            "aide": "Le comité lit cette synthèse sur la page du point, dans l’ordre du jour et dans "
            "le procès-verbal. Vous pouvez la modifier jusqu’à la tenue de la séance.",
        },
    )


@never_cache
def ordre_du_jour(request, pk):
    """The agenda as a PDF, with the referents' summaries (households by reference and initials)."""
    seance = _seance(request, pk)
    record_view(seance)  # it holds the referents' summaries
    contenu = documents.ordre_du_jour_pdf(seance)
    return HttpResponse(
        contenu,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="ordre-du-jour-{seance.pk}.pdf"'},
    )


@never_cache
def pv(request, pk):
    seance = _seance(request, pk)
    if not seance.pv:
        raise Http404
    return FileResponse(seance.pv.open("rb"), as_attachment=True, filename=f"proces-verbal-{seance.pk}.pdf")


@never_cache
def pv_statut(request, pk):
    """Polled by htmx while the minutes are produced."""
    seance = _seance(request, pk)
    return render(request, "comites/seance.html#pv", {"seance": seance})


@never_cache
def renvoi_diagnostic(request, menage_pk):
    """A proposed household whose proposal the committee adjourned goes back to the in-depth
    diagnostic, with the reason (comites.services.renvoyer_au_diagnostic)."""
    menage = charger_menage(request.user, menage_pk, perm="menages.voir_menages")
    if not can_transition(request.user, menage, EtatParcours.DIAGNOSTIC):
        raise PermissionDenied
    ajournement = services.ajournement_a_reprendre(menage)
    form = RenvoiDiagnosticForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.renvoyer_au_diagnostic(menage=menage, auteur=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Le dossier revient au diagnostic approfondi.")
            return redirect(menage)
    return render(
        request,
        "comites/renvoi_diagnostic.html",
        {"form": form, "menage": menage, "ajournement": ajournement},
    )


@never_cache
def demande(request, menage_pk):
    menage = charger_menage(request.user, menage_pk, perm="comites.demander")
    if not (request.user.est_administrateur or can_propose_level(request.user, menage)):
        raise PermissionDenied
    form = DemandeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        demande = form.save(commit=False)
        demande.menage = menage
        demande.auteur = request.user
        demande.save()
        messages.success(request, "La demande sera inscrite à l’ordre du jour du prochain comité.")
        return redirect(menage)
    return render(
        request, "comites/form.html", {"form": form, "titre": "Demande au comité de suivi", "menage": menage}
    )


@never_cache
def instances(request):
    """The committee bodies of the administrator's programmes and their settings."""
    require_perm(request.user, "comites.parametrer_instance")
    liste = (
        Instance.objects.visible_to(request.user)
        .select_related("dispositif")
        .annotate(
            nb_votants=Count("membres", filter=Q(membres__voix_deliberative=True, membres__date_fin=None))
        )
        .order_by("dispositif__nom", "type", "pk")
    )
    return render(request, "comites/instances.html", {"instances": liste})


@never_cache
def instance_parametrer(request, instance_pk):
    instance = get_visible_or_404(
        Instance.objects.select_related("dispositif"),
        request.user,
        perm="comites.parametrer_instance",
        pk=instance_pk,
    )
    form = InstanceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.parametrer_instance(instance=form.save(commit=False))
        messages.success(request, f"Les paramètres de l’instance « {instance.nom} » sont enregistrés.")
        return redirect("comites:instances")
    return render(request, "comites/instance_form.html", {"form": form, "instance": instance})
