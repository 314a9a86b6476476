from django.contrib import admin

from comptes.formats import MontantsAdminMixin
from logements.models import (
    AideFsl,
    EtapeExpulsion,
    ImportLogements,
    Logement,
    MobilisationLogement,
    PlanApurement,
    Reclamation,
    SignalementGardien,
    SoldeLocatif,
)


@admin.register(Logement)
class LogementAdmin(MontantsAdminMixin, admin.ModelAdmin):
    champs_montants = ("loyer", "charges")
    list_display = ["reference_bailleur", "bailleur", "adresse", "commune", "typologie", "loyer", "statut"]
    list_filter = ["bailleur", "statut", "typologie", "commune"]
    list_select_related = ["bailleur", "commune"]
    search_fields = ["reference_bailleur", "adresse"]


@admin.register(MobilisationLogement)
class MobilisationLogementAdmin(admin.ModelAdmin):
    list_display = ["logement", "dispositif", "mode", "date_mobilisation"]
    list_filter = ["dispositif", "mode"]
    list_select_related = ["logement__commune", "dispositif"]
    raw_id_fields = ["logement"]


@admin.register(ImportLogements)
class ImportLogementsAdmin(admin.ModelAdmin):
    list_display = ["nom_fichier", "bailleur", "auteur", "cree_le", "lignes", "crees", "mis_a_jour"]
    list_filter = ["bailleur"]
    list_select_related = ["bailleur", "auteur"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The tenant file: the CESF records complaints and arrears on her pages; the repayment plan, FSL
# aid and eviction steps are entered here for now.
class EntreeDossierLocatifAdmin(MontantsAdminMixin, admin.ModelAdmin):
    champs_montants = ("solde", "montant_dette", "mensualite", "montant")
    list_select_related = ["menage"]
    raw_id_fields = ["menage", "auteur"]
    search_fields = ["menage__reference", "menage__nom"]


@admin.register(Reclamation)
class ReclamationAdmin(EntreeDossierLocatifAdmin):
    list_display = ["menage", "type", "date", "statut"]
    list_filter = ["type", "statut"]


@admin.register(SignalementGardien)
class SignalementGardienAdmin(EntreeDossierLocatifAdmin):
    list_display = ["menage", "nature", "date"]


@admin.register(SoldeLocatif)
class SoldeLocatifAdmin(EntreeDossierLocatifAdmin):
    list_display = ["menage", "mois", "solde"]


@admin.register(PlanApurement)
class PlanApurementAdmin(EntreeDossierLocatifAdmin):
    list_display = ["menage", "date_debut", "montant_dette", "mensualite", "statut"]


@admin.register(AideFsl)
class AideFslAdmin(EntreeDossierLocatifAdmin):
    list_display = ["menage", "date_demande", "montant", "decision"]


@admin.register(EtapeExpulsion)
class EtapeExpulsionAdmin(EntreeDossierLocatifAdmin):
    list_display = ["menage", "etape", "date"]
    list_filter = ["etape"]
