import uuid

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import prefetch_related_objects
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accompagnement import permissions, selectors, services
from accompagnement.forms import (
    ClotureForm,
    ContactForm,
    DemarrerForm,
    DocumentForm,
    IntervenantForm,
    NiveauForm,
    ObjectifForm,
    OrientationForm,
    RemplacerDocumentForm,
    RythmeForm,
    SuiviPostSortieForm,
    TempsFortForm,
)
from accompagnement.models import Contact, Document, Objectif, Orientation, TempsFort
from comptes.access import get_visible_or_404
from comptes.confidentialite import retirer_choix_du_niveau
from comptes.widgets import rendre_resultats
from menages.enums import EtatParcours, TypeDiagnostic
from menages.models import Intervenant
from menages.selectors import charger_menage, effets_fin_intervention
from menages.services import ajouter_intervenant, terminer_intervenant

CONFLIT = (
    "Quelqu’un d’autre a enregistré cette fiche pendant que vous la modifiiez. Votre saisie est conservée "
    "ci-dessous : relisez la version actuelle (lien ci-dessous), puis enregistrez de nouveau."
)


def _page(request, template, menage, form, titre, **extra):
    return render(request, template, {"menage": menage, "form": form, "titre": titre, **extra})


def _soumettre(request, menage, form, titre, action, succes, **extra):
    """Show the form; on a valid POST run `action(cleaned_data)` (one service call) and go back to
    the file, or show the rule it broke next to the form, with everything typed kept. `extra` goes
    to the template (`effets`: what saving will do, `bouton`: the submit button's label)."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, succes)
            return redirect(menage)
    return _page(request, "accompagnement/form.html", menage, form, titre, **extra)


def _accompagnement_en_cours(menage):
    accompagnement = menage.accompagnements.filter(date_fin__isnull=True).first()
    if accompagnement is None:
        raise PermissionDenied
    return accompagnement


def _decide_le_comite(request, menage, titre, explication):
    """For everyone but an administrator, a level is the committee's: the page says so and leads
    to a request to the committee (for the referent organisation's workers)."""
    return render(
        request,
        "accompagnement/decision_du_comite.html",
        {
            "menage": menage,
            "titre": titre,
            "explication": explication,
            "peut_demander": permissions.can_propose_level(request.user, menage),
        },
    )


@never_cache
def demarrer(request, pk):
    menage = charger_menage(request.user, pk, perm="accompagnement.gerer")
    if menage.etat != EtatParcours.PROPOSITION_COMITE:
        messages.error(request, "L’accompagnement démarre après la proposition au comité de suivi.")
        return redirect(menage)
    if not permissions.can_correct_level(request.user, menage):
        return _decide_le_comite(
            request,
            menage,
            "Démarrer l’accompagnement",
            "Le ménage est proposé au comité de suivi : l’accompagnement démarre quand le comité "
            "valide la proposition et fixe le niveau. La décision s’applique alors au dossier.",
        )
    diagnostic = menage.diagnostics.filter(
        numero_parcours=menage.numero_parcours, type=TypeDiagnostic.ENTREE
    ).first()
    initial = {"niveau": diagnostic.niveau_propose} if diagnostic and diagnostic.niveau_propose else {}
    form = DemarrerForm(request.POST or None, initial=initial)

    def demarrer(data):
        services.demarrer_accompagnement(
            menage=menage,
            niveau=data["niveau"],
            date_debut=data["date_debut"],
            duree_mois=data["duree_mois"],
            rythme=data["rythme"],
            correction=data["correction"],
            auteur=request.user,
            iml=form.iml(),
        )

    return _soumettre(
        request,
        menage,
        form,
        "Démarrer l’accompagnement (correction par un administrateur)",
        demarrer,
        "L’accompagnement a démarré.",
    )


@never_cache
def niveau(request, pk):
    menage = charger_menage(request.user, pk, perm="accompagnement.gerer")
    accompagnement = _accompagnement_en_cours(menage)
    if not permissions.can_correct_level(request.user, menage):
        return _decide_le_comite(
            request,
            menage,
            "Changer le niveau",
            "Le niveau change ou se renouvelle par décision du comité de suivi. Demandez au comité "
            "d’examiner le dossier : sa décision s’appliquera au dossier.",
        )
    form = NiveauForm(request.POST or None, initial={"niveau": accompagnement.niveau})

    def changer(data):
        services.changer_niveau(
            accompagnement=accompagnement,
            niveau=data["niveau"],
            date_effet=data["date_effet"],
            duree_mois=data["duree_mois"],
            correction=data["correction"],
            auteur=request.user,
            iml=form.iml(),
        )

    return _soumettre(
        request,
        menage,
        form,
        "Corriger le niveau (administrateur)",
        changer,
        "Le niveau d’accompagnement est corrigé.",
    )


@never_cache
def rythme(request, pk):
    menage = charger_menage(request.user, pk, perm="accompagnement.gerer")
    accompagnement = _accompagnement_en_cours(menage)
    form = RythmeForm(request.POST or None, initial={"rythme": accompagnement.rythme})
    if request.method == "POST" and form.is_valid():
        services.changer_rythme(accompagnement=accompagnement, auteur=request.user, **form.cleaned_data)
        messages.success(request, "Le rythme des rencontres est modifié.")
        return redirect(menage)
    return _page(request, "accompagnement/form.html", menage, form, "Changer le rythme")


@never_cache
def cloture(request, pk):
    menage = charger_menage(request.user, pk, perm="accompagnement.gerer")
    accompagnement = _accompagnement_en_cours(menage)
    if not permissions.can_correct_level(request.user, menage):
        return _decide_le_comite(
            request,
            menage,
            "Clore l’accompagnement",
            "L’accompagnement prend fin par décision du comité de suivi, qui fixe le motif de sortie "
            "et la situation de logement. Proposez la sortie au comité.",
        )
    form = ClotureForm(request.POST or None)

    def clore(data):
        services.clore_accompagnement(accompagnement=accompagnement, auteur=request.user, **data)

    return _soumettre(
        request,
        menage,
        form,
        "Clore l’accompagnement (correction par un administrateur)",
        clore,
        "L’accompagnement est clos. Pensez au diagnostic de sortie.",
        effets=[
            f"L’accompagnement de {menage.nom} ({accompagnement.get_niveau_display()}, commencé le "
            f"{accompagnement.date_debut:%d/%m/%Y}) prendra fin à la date indiquée, avec le motif et "
            "la situation de logement à la sortie.",
            "Le parcours du ménage passera à l’étape « Clos », daté et signé de votre nom dans sa "
            "chronologie.",
            "La clôture ne s’annule pas : si le ménage revient, un nouveau parcours s’ouvrira par "
            "une nouvelle saisine.",
        ],
        bouton="Clore l’accompagnement",
        bouton_style="btn-danger",
    )


@never_cache
def contact(request, pk, contact_pk=None):
    menage = charger_menage(request.user, pk, perm="accompagnement.saisir_contact")
    instance = (
        # Its author is named by the form (the next step's default, not among the participants).
        get_object_or_404(
            Contact.objects.visible_to(request.user).select_related("auteur"), pk=contact_pk, menage=menage
        )
        if contact_pk
        else None
    )
    if instance and not request.user.has_perm("accompagnement.modifier_contact", instance):
        raise PermissionDenied
    if instance:
        # Read once for the form's initial values and its lists of choices.
        prefetch_related_objects([instance], "membres", "professionnels")
    form = retirer_choix_du_niveau(
        ContactForm(request.POST or None, instance=instance, menage=menage, auteur=request.user), request.user
    )
    cle = _cle_envoi(request) if instance is None else None
    if cle and (deja := selectors.contact_envoye(auteur=request.user, cle=cle)):
        if deja.menage_id != menage.pk:
            raise PermissionDenied
        # The same draft sent again (the tablet got no answer the first time): the contact exists.
        messages.success(request, "Le contact est enregistré.")
        return redirect(menage)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data.pop("cle_envoi")
        membres = data.pop("membres")
        professionnels = {*data.pop("professionnels"), instance.auteur if instance else request.user}
        try:
            if instance:
                services.modifier_contact(
                    contact=instance,
                    version=version or 0,
                    membres=membres,
                    professionnels=professionnels,
                    **data,
                )
            else:
                services.enregistrer_contact(
                    menage=menage,
                    auteur=request.user,
                    membres=membres,
                    professionnels=professionnels,
                    cle_envoi=cle,
                    **data,
                )
        except IntegrityError:
            # Two sends of one draft crossed: the other one made the contact.
            if not (cle and selectors.contact_envoye(auteur=request.user, cle=cle)):
                raise
            messages.success(request, "Le contact est enregistré.")
            return redirect(menage)
        except services.Conflit:
            form.add_error(None, CONFLIT)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Le contact est enregistré.")
            return redirect(menage)
    titre = "Modifier le contact" if instance else "Nouveau contact"
    return _page(
        request, "accompagnement/form.html", menage, form, titre, actuel=instance, brouillon=instance is None
    )


def service_worker(request):
    """The field pages' service worker, served under /menages/ so that its scope covers the
    contact forms (a file under /static/ could only control /static/)."""
    chemin = finders.find("js/sw-terrain.js")
    with open(chemin, encoding="utf-8") as fichier:
        response = HttpResponse(fichier.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _cle_envoi(request):
    if request.method != "POST":
        return None
    try:
        return uuid.UUID(request.POST.get("cle_envoi", ""))
    except ValueError:
        return None


@never_cache
def contacts(request, pk):
    menage = charger_menage(request.user, pk, perm="menages.voir_menages")
    qs = (
        Contact.objects.visible_to(request.user)
        .filter(menage=menage)
        .select_related("auteur", "prochaine_etape_par")
        .prefetch_related("membres", "professionnels")
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "accompagnement/contacts.html", {"menage": menage, "page": page})


@never_cache
def objectif(request, pk, objectif_pk=None):
    menage = charger_menage(request.user, pk, perm="accompagnement.gerer")
    instance = (
        get_object_or_404(Objectif.objects.visible_to(request.user), pk=objectif_pk, menage=menage)
        if objectif_pk
        else None
    )
    form = ObjectifForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        commentaire = data.pop("commentaire")
        try:
            if instance:
                services.modifier_objectif(
                    objectif=instance,
                    version=version or 0,
                    auteur=request.user,
                    commentaire=commentaire,
                    **data,
                )
            else:
                services.creer_objectif(menage=menage, auteur=request.user, **data)
        except services.Conflit:
            form.add_error(None, CONFLIT)
        else:
            messages.success(request, "L’objectif est enregistré.")
            return redirect(menage)
    titre = "Modifier l’objectif" if instance else "Nouvel objectif"
    historique = instance.historique.select_related("auteur") if instance else []
    return _page(
        request, "accompagnement/form.html", menage, form, titre, historique=historique, actuel=instance
    )


def _simple_form(request, pk, perm, form_class, model, obj_pk, titre):
    menage = charger_menage(request.user, pk, perm=perm)
    instance = (
        get_object_or_404(model.objects.visible_to(request.user), pk=obj_pk, menage=menage)
        if obj_pk
        else None
    )
    form = retirer_choix_du_niveau(form_class(request.POST or None, instance=instance), request.user)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.menage = menage
        if hasattr(obj, "auteur_id") and not obj.auteur_id:
            obj.auteur = request.user
        obj.save()
        messages.success(request, "C’est enregistré.")
        return redirect(menage)
    return _page(request, "accompagnement/form.html", menage, form, titre)


@never_cache
def orientation(request, pk, obj_pk=None):
    return _simple_form(
        request,
        pk,
        "accompagnement.gerer",
        OrientationForm,
        Orientation,
        obj_pk,
        "Orientation vers un partenaire",
    )


@never_cache
def temps_fort(request, pk, obj_pk=None):
    return _simple_form(
        request, pk, "accompagnement.temps_forts", TempsFortForm, TempsFort, obj_pk, "Temps fort"
    )


@never_cache
def suivi_post_sortie(request, pk):
    """Record the household's situation 6 or 12 months after its support ended."""
    menage = charger_menage(request.user, pk, perm="accompagnement.gerer")
    accompagnement = menage.accompagnements.filter(date_fin__isnull=False).order_by("-date_fin").first()
    if accompagnement is None:
        messages.error(request, "Ce ménage n’a pas d’accompagnement terminé.")
        return redirect(menage)
    form = SuiviPostSortieForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        suivi = form.save(commit=False)
        suivi.accompagnement = accompagnement
        suivi.auteur = request.user
        try:
            suivi.validate_constraints()
        except ValidationError:
            form.add_error("echeance_mois", "Cette échéance est déjà renseignée pour cet accompagnement.")
        else:
            suivi.save()
            messages.success(request, "La situation après la sortie est enregistrée.")
            return redirect(menage)
    return _page(request, "accompagnement/form.html", menage, form, "Situation après la sortie")


@never_cache
def document_deposer(request, pk):
    menage = charger_menage(request.user, pk, perm="accompagnement.deposer_document")
    form = retirer_choix_du_niveau(DocumentForm(request.POST or None, request.FILES or None), request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.deposer_document(menage=menage, auteur=request.user, **data)
        messages.success(request, "Le document est déposé.")
        return redirect(menage)
    return _page(request, "accompagnement/form.html", menage, form, "Déposer un document", multipart=True)


@never_cache
def document(request, pk, doc_pk):
    """Documents are never served from a public path: only here, after the access check."""
    doc = get_visible_or_404(
        Document.objects, request.user, perm="menages.voir_menages", pk=doc_pk, menage_id=pk
    )
    response = FileResponse(doc.fichier.open("rb"), as_attachment=True, filename=doc.nom_original)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _document_modifiable(request, pk, doc_pk):
    """The document, for its author or an administrator: 404 when the household or the document is
    out of the reader's scope, 403 when the reader sees it but did not deposit it."""
    menage = charger_menage(request.user, pk, perm="menages.voir_menages")
    doc = get_object_or_404(
        Document.objects.of_visible_menage(menage, request.user).select_related("auteur"), pk=doc_pk
    )
    if not permissions.can_change_document(request.user, doc):
        raise PermissionDenied
    return menage, doc


def _decrire(doc) -> str:
    return (
        f"« {doc.titre} » ({doc.get_type_display().lower()}, fichier {doc.nom_original}, "
        f"{filesizeformat(doc.taille)}), déposé le {timezone.localtime(doc.depose_le):%d/%m/%Y} "
        f"par {doc.auteur}"
    )


@never_cache
def document_supprimer(request, pk, doc_pk):
    """GET says which document will be deleted from which household; POST deletes it."""
    menage, doc = _document_modifiable(request, pk, doc_pk)
    if request.method == "POST":
        titre = doc.titre
        services.supprimer_document(document=doc, par=request.user)
        messages.success(request, f"Le document « {titre} » est supprimé.")
        return redirect(menage)
    return render(
        request,
        "accompagnement/document_supprimer.html",
        {"menage": menage, "document": doc, "description": _decrire(doc)},
    )


@never_cache
def document_remplacer(request, pk, doc_pk):
    """GET says which file will be replaced; POST with a valid file replaces it."""
    menage, doc = _document_modifiable(request, pk, doc_pk)
    form = RemplacerDocumentForm(request.POST or None, request.FILES or None)

    def remplacer(data):
        services.remplacer_document(
            document=doc, fichier=data["fichier"], format=data["format"], par=request.user
        )

    return _soumettre(
        request,
        menage,
        form,
        f"Remplacer le fichier du document « {doc.titre} »",
        remplacer,
        f"Le fichier du document « {doc.titre} » est remplacé.",
        multipart=True,
        effets=[
            f"Le document {_decrire(doc)} gardera son titre, son type et sa confidentialité ; "
            "son fichier sera remplacé par celui que vous choisissez.",
            "L’ancien fichier sera effacé : le journal du dossier gardera son nom, sa taille et qui "
            "l’a remplacé.",
        ],
        bouton="Remplacer le fichier",
    )


@never_cache
def intervenant(request, pk):
    menage = charger_menage(request.user, pk, perm="accompagnement.intervenants")
    form = IntervenantForm(
        request.POST or None,
        dispositif=menage.dispositif,
        url_recherche=reverse("accompagnement:intervenant_professionnels", args=[menage.pk]),
    )
    if request.method == "POST" and form.is_valid():
        ajouter_intervenant(menage=menage, **form.cleaned_data)
        messages.success(request, "L’intervenant est ajouté.")
        return redirect(menage)
    return _page(request, "accompagnement/form.html", menage, form, "Ajouter un intervenant")


@never_cache
def intervenant_professionnels(request, pk):
    """The intervention form's search: the programme's professionals matching the typed text, at
    most a page of them, for those who may add an intervention to this household."""
    menage = charger_menage(request.user, pk, perm="accompagnement.intervenants")
    form = IntervenantForm(dispositif=menage.dispositif)
    return rendre_resultats(request, form.fields["utilisateur"])


@never_cache
def intervenant_terminer(request, pk, intervenant_pk):
    """End an intervention: GET says whose and what follows (who loses access to the file), POST
    ends it."""
    menage = charger_menage(request.user, pk, perm="accompagnement.intervenants")
    intervenant = get_object_or_404(
        Intervenant.objects.select_related("organisation", "utilisateur"),
        pk=intervenant_pk,
        menage=menage,
        date_fin__isnull=True,
    )
    if request.method == "POST":
        terminer_intervenant(intervenant=intervenant)
        messages.success(request, f"L’intervention de {intervenant} est terminée.")
        return redirect(menage)
    return render(
        request,
        "accompagnement/intervenant_terminer.html",
        {
            "menage": menage,
            "intervenant": intervenant,
            "effets": effets_fin_intervention(intervenant),
            "aujourdhui": max(timezone.localdate(), intervenant.date_debut),
        },
    )
