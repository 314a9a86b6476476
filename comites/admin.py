from django.contrib import admin

from comites.models import (
    AvisMembre,
    DemandeComite,
    Instance,
    MembreInstance,
    PointOrdreDuJour,
    Presence,
    Seance,
)


class MembreInline(admin.TabularInline):
    model = MembreInstance
    extra = 1
    autocomplete_fields = ["utilisateur"]


@admin.register(Instance)
class InstanceAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "dispositif", "rythme_mois", "quorum_pourcentage"]
    inlines = [MembreInline]


@admin.register(Seance)
class SeanceAdmin(admin.ModelAdmin):
    list_display = ["instance", "date", "statut", "urgente"]
    list_filter = ["instance", "statut"]


admin.site.register([PointOrdreDuJour, AvisMembre, Presence, DemandeComite])
