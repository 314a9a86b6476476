from django.contrib import admin

from comptes.confidentialite import ConfidentielAdmin
from comptes.formats import MontantsAdminMixin
from menages.models import (
    Dette,
    Diagnostic,
    EvenementParcours,
    Intervenant,
    Membre,
    Menage,
    PreDiagnostic,
    ProblemeMenage,
    Ressource,
    ValidationFinanceur,
)


class IntervenantInline(admin.TabularInline):
    model = Intervenant
    extra = 0
    autocomplete_fields = ["utilisateur"]


class MembreInline(admin.TabularInline):
    model = Membre
    extra = 0


class RessourceInline(MontantsAdminMixin, admin.TabularInline):
    champs_montants = ("montant_mensuel",)
    model = Ressource
    extra = 0


class DetteInline(MontantsAdminMixin, admin.TabularInline):
    champs_montants = ("montant",)
    model = Dette
    extra = 0


class ProblemeInline(admin.TabularInline):
    model = ProblemeMenage
    extra = 0


@admin.register(Menage)
class MenageAdmin(admin.ModelAdmin):
    list_display = ["reference", "nom", "bailleur", "commune", "etat", "numero_parcours", "date_saisine"]
    list_filter = ["dispositif", "etat", "bailleur", "source_orientation", "problematique"]
    list_select_related = ["bailleur", "commune"]
    search_fields = ["reference", "nom_recherche"]
    readonly_fields = ["etat", "numero_parcours"]
    inlines = [MembreInline, RessourceInline, DetteInline, ProblemeInline, IntervenantInline]


@admin.register(EvenementParcours)
class EvenementParcoursAdmin(admin.ModelAdmin):
    list_display = ["menage", "etat_avant", "etat_apres", "date", "auteur"]
    list_select_related = ["menage", "auteur"]
    list_filter = ["etat_apres"]

    def has_change_permission(self, request, obj=None):
        return False  # the path's events are a record, not an editable list


admin.site.register([ValidationFinanceur])


@admin.register(PreDiagnostic)
class PreDiagnosticAdmin(ConfidentielAdmin):
    list_display = ["__str__", "menage", "propose", "confidentialite"]
    list_select_related = ["menage", "organisation"]


@admin.register(Diagnostic)
class DiagnosticAdmin(ConfidentielAdmin):
    list_display = ["__str__", "menage", "numero_parcours", "type"]
    list_select_related = ["menage"]
