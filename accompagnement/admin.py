from django.contrib import admin

from accompagnement.models import (
    Accompagnement,
    ChangementNiveau,
    ChangementRythme,
    Contact,
    Document,
    MesureIml,
    Objectif,
    Orientation,
    TempsFort,
)
from comptes.confidentialite import ConfidentielAdmin


class ChangementNiveauInline(admin.TabularInline):
    model = ChangementNiveau
    extra = 0
    can_delete = False


@admin.register(Accompagnement)
class AccompagnementAdmin(admin.ModelAdmin):
    list_display = ["menage", "niveau", "date_debut", "date_fin_prevue", "date_fin", "rythme"]
    list_filter = ["niveau", "rythme"]
    list_select_related = ["menage"]
    inlines = [ChangementNiveauInline]


admin.site.register([ChangementRythme, MesureIml, TempsFort])


@admin.register(Objectif)
class ObjectifAdmin(ConfidentielAdmin):
    list_display = ["__str__", "menage", "axe", "statut", "confidentialite"]
    list_select_related = ["menage"]
    list_filter = ["axe", "statut", "confidentialite"]


@admin.register(Orientation)
class OrientationAdmin(ConfidentielAdmin):
    list_display = ["__str__", "menage", "resultat", "confidentialite"]
    list_select_related = ["menage"]


@admin.register(Contact)
class ContactAdmin(ConfidentielAdmin):
    list_display = ["menage", "type", "date", "duree_minutes", "auteur", "confidentialite"]
    list_select_related = ["menage", "auteur"]
    list_filter = ["type", "confidentialite"]


@admin.register(Document)
class DocumentAdmin(ConfidentielAdmin):
    list_display = ["menage", "titre", "type", "format", "taille", "depose_le"]
    readonly_fields = ["fichier", "nom_original", "format", "taille", "empreinte"]
