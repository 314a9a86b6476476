from django.contrib import admin

from logements.models import ImportLogements, Logement, MobilisationLogement


@admin.register(Logement)
class LogementAdmin(admin.ModelAdmin):
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
