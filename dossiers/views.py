"""The pages that gather every app's part of a household: the list of households with their
follow-up, the household file, its timeline and its right-of-access export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from accompagnement import selectors as suivi
from accompagnement.models import Contact
from comptes.access import get_visible_or_404, require_perm
from comptes.journal_acces import journaliser
from dossiers import selectors, services
from dossiers.forms import RetenirNoteForm
from dossiers.models import DemandeAcces
from menages.enums import EtatParcours
from menages.filters import MenageFilter
from menages.models import Menage
from menages.selectors import nombres_par_etat, nombres_par_etat_visibles

EVENEMENTS_PAR_PAGE = 50
# Up to this many results, the household list sorts the matching ids rather than walking the name
# order (see `liste`).
PEU_DE_RESULTATS = 500


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
    return autre.qs_sans_etat() if autre.is_bound and autre.is_valid() else base


@never_cache
def liste(request):
    require_perm(request.user, "menages.voir_menages")
    base = Menage.objects.visible_to(request.user)
    filtre = MenageFilter(request.GET or None, queryset=base, request=request)
    menages = filtre.qs if filtre.is_bound and filtre.is_valid() else base
    # Counts by step for the current filters, whatever the step chosen. Without other filters,
    # those of every visible household: a landlord's staff's are kept, not counted.
    sans_etat = _sans_etat(request, filtre, base)
    counts = nombres_par_etat_visibles(request.user) if sans_etat is base else nombres_par_etat(sans_etat)
    nombre = None
    if not filtre.is_bound or filtre.is_valid():
        # The counts by step already hold the number of results: no second COUNT over the list.
        etat = filtre.form.cleaned_data.get("etat") if filtre.is_bound else None
        nombre = counts[etat] if etat else sum(counts.values())
        if nombre <= PEU_DE_RESULTATS:
            # Few results: read their ids first, then sort those. Asked for the first rows in
            # name order, PostgreSQL may walk every household of the programme along the name
            # index, checking each against the access rule and filters, when it expects more
            # matches than there are (80–130 ms for a TISF's one household at 50,000).
            menages = Menage.objects.filter(pk__in=list(menages.order_by().values_list("pk", flat=True)))
    elif sans_etat is base:
        # A filter that does not validate (a step that does not exist): the list shows every
        # visible household, which the counts by step already hold.
        nombre = sum(counts.values())
    menages = suivi.annoter_suivi(menages.select_related("commune", "bailleur").order_by("nom", "reference"))
    paginator = Paginator(menages, 25)
    if nombre is not None:
        paginator.count = nombre
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
    """The household's right of access: its social worker prepares the export of its whole file
    (POST), which the data protection officer reviews before it is released; the released PDFs
    are listed here."""
    menage = get_visible_or_404(Menage.objects, request.user, perm="menages.exporter_dossier", pk=pk)
    journaliser(menage, request.user)
    if request.method == "POST":
        services.demander_acces(menage=menage, auteur=request.user)
        messages.success(
            request,
            "La demande est transmise au DPO (protection des données) : le dossier sera relu avant "
            "d’être remis au ménage.",
        )
        return redirect("dossiers:export", pk=menage.pk)
    demandes = menage.demandes_acces.order_by("-demandee_le", "-pk")
    return render(
        request,
        "dossiers/export.html",
        {"menage": menage, "demandes": demandes, "en_cours": any(not d.publiee for d in demandes)},
    )


@never_cache
def acces_a_relire(request):
    """The data protection officer's list: the right-of-access requests awaiting review, and the
    latest released."""
    require_perm(request.user, "dossiers.relire_acces")
    demandes = DemandeAcces.objects.visible_to(request.user).select_related("menage")
    return render(
        request,
        "dossiers/acces_liste.html",
        {
            "a_relire": demandes.a_relire().order_by("demandee_le", "pk"),
            "publiees": demandes.filter(publiee_le__isnull=False).order_by("-publiee_le", "-pk")[:20],
        },
    )


@never_cache
def acces_relire(request, pk):
    """The data protection officer reads every note of the household before its export is
    released, and may withhold one with a written reason (recorded in the audit trail)."""
    demande = get_visible_or_404(
        DemandeAcces.objects.select_related("menage"), request.user, perm="dossiers.relire_acces", pk=pk
    )
    menage = demande.menage
    journaliser(menage, request.user)
    contacts = Contact.objects.filter(menage=menage).order_by("date", "pk")
    erreurs = None
    if request.method == "POST" and not demande.publiee:
        action = request.POST.get("action")
        if action == "retenir":
            contact = get_object_or_404(contacts, pk=request.POST.get("contact"))
            form = RetenirNoteForm(request.POST, prefix=f"c{contact.pk}")
            if form.is_valid():
                try:
                    services.retenir_note(
                        demande=demande,
                        contact=contact,
                        motif=form.cleaned_data["motif"],
                        auteur=request.user,
                    )
                except ValidationError as error:
                    form.add_error("motif", error.messages)
                else:
                    messages.success(
                        request, "La note ne sera pas communiquée au ménage ; le motif est consigné."
                    )
                    return redirect(demande)
            erreurs = (contact.pk, form)
        elif action == "retablir":
            note = get_object_or_404(demande.notes_retenues, pk=request.POST.get("note"))
            services.retablir_note(demande=demande, note=note)
            messages.success(request, "La note sera communiquée au ménage.")
            return redirect(demande)
        elif action == "publier":
            services.publier(demande=demande, auteur=request.user)
            messages.success(request, f"Le dossier {menage.reference} est remis : son PDF est disponible.")
            return redirect(demande)
    retenues = {note.contact_id: note for note in demande.notes_retenues.all()}
    lignes = []
    for contact in contacts:
        if erreurs and erreurs[0] == contact.pk:
            form = erreurs[1]
        else:
            form = RetenirNoteForm(prefix=f"c{contact.pk}")
        lignes.append({"contact": contact, "retenue": retenues.get(contact.pk), "form": form})
    return render(
        request,
        "dossiers/acces_relire.html",
        {"demande": demande, "menage": menage, "lignes": lignes, "nombre_retenues": len(retenues)},
    )


@never_cache
def acces_pdf(request, pk):
    """The released PDF, as it was given to the household (whole, confidential content included):
    for its social worker, who hands it over, and for the data protection officer; not for an
    administrator, who reads confidential content only as « contenu confidentiel »."""
    user = request.user
    peut_remettre = user.has_perm("menages.exporter_dossier") and user.has_perm("comptes.voir_confidentiel")
    if not (peut_remettre or user.has_perm("dossiers.relire_acces")):
        raise PermissionDenied
    demande = get_visible_or_404(DemandeAcces.objects.select_related("menage"), user, pk=pk)
    if not demande.publiee:
        raise Http404
    journaliser(demande.menage, user)
    return FileResponse(
        demande.fichier.open("rb"),
        as_attachment=True,
        filename=f"dossier-{demande.menage.reference}.pdf",
        content_type="application/pdf",
    )
