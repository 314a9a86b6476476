from django.contrib import admin

from menages.models import Intervenant, Menage


class IntervenantInline(admin.TabularInline):
    model = Intervenant
    extra = 0
    autocomplete_fields = ["utilisateur"]


@admin.register(Menage)
class MenageAdmin(admin.ModelAdmin):
    list_display = ["reference", "nom", "bailleur", "commune", "etat", "date_saisine"]
    list_filter = ["dispositif", "etat", "bailleur"]
    list_select_related = ["bailleur", "commune"]
    search_fields = ["reference", "nom"]
    inlines = [IntervenantInline]
