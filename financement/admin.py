from django.contrib import admin

from comptes.formats import MontantsAdminMixin
from financement.models import (
    Convention,
    LigneBudgetaire,
    MontantAnnuel,
    PartFinanceur,
    RapportFinanceur,
    Versement,
)


class PartInline(admin.TabularInline):
    model = PartFinanceur
    extra = 0


class LigneInline(admin.TabularInline):
    model = LigneBudgetaire
    extra = 0
    show_change_link = True


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["intitule", "dispositif", "date_debut", "duree_mois"]
    inlines = [PartInline, LigneInline]


class MontantInline(MontantsAdminMixin, admin.TabularInline):
    champs_montants = ("prevu", "realise")
    model = MontantAnnuel
    extra = 0


@admin.register(LigneBudgetaire)
class LigneBudgetaireAdmin(admin.ModelAdmin):
    list_display = ["libelle", "type", "convention", "porteur"]
    list_filter = ["convention", "type"]
    inlines = [MontantInline]


@admin.register(Versement)
class VersementAdmin(MontantsAdminMixin, admin.ModelAdmin):
    champs_montants = ("montant",)
    list_display = ["part", "date", "montant", "reference"]
    list_filter = ["part__convention", "part__financeur"]
    list_select_related = ["part__financeur"]
    date_hierarchy = "date"


@admin.register(RapportFinanceur)
class RapportFinanceurAdmin(admin.ModelAdmin):
    list_display = [
        "dispositif",
        "financeur",
        "periodicite",
        "date_debut",
        "date_fin",
        "statut",
        "progression",
    ]
    list_filter = ["dispositif", "financeur", "periodicite", "statut"]
    readonly_fields = ["statut", "progression", "fichier", "erreur", "demande_par", "genere_le"]
