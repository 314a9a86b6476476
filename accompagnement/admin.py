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


admin.site.register([ChangementRythme, MesureIml, Objectif, Orientation, TempsFort])


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["menage", "type", "date", "duree_minutes", "auteur", "confidentialite"]
    list_select_related = ["menage", "auteur"]
    list_filter = ["type", "confidentialite"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["menage", "titre", "type", "format", "taille", "depose_le"]
    readonly_fields = ["fichier", "nom_original", "format", "taille", "empreinte"]
