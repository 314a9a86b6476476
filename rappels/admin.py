from django.contrib import admin

from rappels.models import PreferenceNotification, Rappel


@admin.register(Rappel)
class RappelAdmin(admin.ModelAdmin):
    list_display = ["titre", "type", "destinataire", "du_le", "statut", "envoye_le", "lu_le"]
    list_filter = ["type", "statut"]
    list_select_related = ["destinataire"]
    search_fields = ["cle", "titre"]


admin.site.register(PreferenceNotification)
