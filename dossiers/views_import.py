"""The import of an existing caseload, for a programme's administrators: the page with the
template and the columns, the simulation of a file, its confirmation (or abandonment)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from comptes.access import require_perm
from comptes.importation import typographie
from comptes.selectors import dispositifs_de
from dossiers import importation
from dossiers.forms import ImportMenagesForm
from dossiers.models import ImportMenages, StatutImport

# Errors shown on the page; the count of the others is given (a file with thousands of wrong lines
# usually has one systematic mistake).
ERREURS_AFFICHEES = 500
IMPORTS_AFFICHES = 10


def _dispositifs(user):
    """The active programmes an administrator imports into: those of their organisation (none for
    a user of no organisation, such as the technical staff), the current programme first so that
    it is the one proposed."""
    if not user.organisation_id:
        return []
    courant = set(dispositifs_de(user).values_list("pk", flat=True))
    dispositifs = user.organisation.dispositifs.filter(actif=True).order_by("nom")
    return sorted(dispositifs, key=lambda d: d.pk not in courant)


def _page(request, form, rapport=None, status=200):
    imports = (
        ImportMenages.objects.visible_to(request.user)
        .filter(statut=StatutImport.IMPORTE)
        .select_related("auteur", "dispositif")[:IMPORTS_AFFICHES]
    )
    erreurs = sorted(
        rapport.erreurs if rapport else [],
        key=lambda e: (
            importation.FEUILLES.index(e.feuille) if e.feuille in importation.FEUILLES else -1,
            e.ligne or 0,
        ),
    )
    return render(
        request,
        "dossiers/importer.html",
        {
            "form": form,
            "rapport": rapport,
            "erreurs": erreurs[:ERREURS_AFFICHEES],
            "erreurs_masquees": max(0, len(erreurs) - ERREURS_AFFICHEES),
            "colonnes": [(feuille, importation.COLONNES[feuille]) for feuille in importation.FEUILLES],
            "imports": imports,
        },
        status=status,
    )


@never_cache
def importer(request):
    """Upload a file: checked, then simulated (nothing kept but the file, until confirmed)."""
    require_perm(request.user, "dossiers.importer_existant")
    dispositifs = _dispositifs(request.user)
    if not dispositifs:
        raise PermissionDenied
    form = ImportMenagesForm(request.POST or None, request.FILES or None, dispositifs=dispositifs)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form)
    fichier = form.cleaned_data["fichier"]
    fichier.seek(0)
    rapport = importation.simuler(
        dispositif=form.dispositif_choisi(),
        nom_fichier=fichier.name[:255],
        data=fichier.read(),
        auteur=request.user,
    )
    if not rapport.reussi:
        n = len(rapport.erreurs)
        form.add_error(
            "fichier",
            typographie(
                f"Le fichier contient {n} erreur{'s' if n > 1 else ''} : rien n’a été importé. Corrigez les "
                "lignes signalées dans la liste des erreurs, puis déposez de nouveau le fichier."
            ),
        )
    return _page(request, form, rapport)


@never_cache
def confirmer(request, pk):
    require_perm(request.user, "dossiers.importer_existant")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    simulation = get_object_or_404(importation.simulations_en_attente(request.user), pk=pk)
    rapport = importation.confirmer(import_menages=simulation, auteur=request.user)
    if rapport.reussi:
        apercu = rapport.apercu
        messages.success(
            request,
            typographie(
                f"Import réussi : {apercu.menages} ménage{'s' if apercu.menages > 1 else ''}, "
                f"{apercu.membres} membre{'s' if apercu.membres > 1 else ''}, "
                f"{apercu.accompagnements} accompagnement{'s' if apercu.accompagnements > 1 else ''} et "
                f"{apercu.contacts} contact{'s' if apercu.contacts > 1 else ''} créés."
            ),
        )
        return redirect("dossiers:importer")
    form = ImportMenagesForm(dispositifs=_dispositifs(request.user))
    messages.error(
        request,
        "Le fichier ne passe plus les vérifications (le programme a changé depuis la simulation) : rien "
        "n’a été importé.",
    )
    return _page(request, form, rapport)


@never_cache
def abandonner(request, pk):
    require_perm(request.user, "dossiers.importer_existant")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    simulation = get_object_or_404(importation.simulations_en_attente(request.user), pk=pk)
    importation.abandonner(import_menages=simulation)
    messages.info(request, "La simulation est abandonnée : le fichier n’est pas conservé.")
    return redirect("dossiers:importer")


@never_cache
def modele(request, format):
    """The template to fill in: an Excel workbook, or a zip archive of CSV files."""
    require_perm(request.user, "dossiers.importer_existant")
    if format == "xlsx":
        contenu, type_, nom = (
            importation.modele_xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "modele-import-menages.xlsx",
        )
    else:
        contenu, type_, nom = importation.modele_zip(), "application/zip", "modele-import-menages-csv.zip"
    response = HttpResponse(contenu, content_type=type_)
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response
