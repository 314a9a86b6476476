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


@admin.register(PointOrdreDuJour)
class PointOrdreDuJourAdmin(admin.ModelAdmin):
    list_display = ["seance", "menage", "type", "decision"]
    list_filter = ["seance__instance", "type", "decision"]
    # A decision is recorded and applied to the household's file together, from the item's page
    # through its confirmation page (comites.views.point_decider): never typed in here.
    readonly_fields = [
        "decision",
        "decision_niveau",
        "decision_date_debut",
        "decision_duree_mois",
        "decision_commentaire",
        "derogation_duree",
        "derogation_motif",
        "decide_le",
        "decide_par",
        "synthese_par",
        "synthese_le",
    ]


admin.site.register([AvisMembre, Presence, DemandeComite])
