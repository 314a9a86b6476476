from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from comptes import services
from comptes.models import (
    AttributionRole,
    Commune,
    Dispositif,
    EvenementConnexion,
    NiveauAccompagnement,
    Organisation,
    Utilisateur,
)

# django-auditlog's own list of entries shows every before/after value in the clear: the journals of
# a household and of a user (comptes.confidentialite.lignes_journal) are where an administrator
# reads the trail, with classified values masked.
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)

# django-otp's own admin pages would show the recovery codes to administrators; they reset a
# user's second factor from the user list instead.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class NiveauInline(admin.TabularInline):
    model = NiveauAccompagnement
    extra = 0


@admin.register(Dispositif)
class DispositifAdmin(admin.ModelAdmin):
    list_display = [
        "nom",
        "prefixe_reference",
        "territoire",
        "date_debut",
        "duree_mois",
        "rythme_comite_mois",
        "actif",
    ]
    inlines = [NiveauInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "sigle", "type"]
    list_filter = ["type", "dispositifs"]
    search_fields = ["nom", "sigle"]
    filter_horizontal = ["dispositifs"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["nom", "code_postal", "code_insee"]
    search_fields = ["nom", "code_postal"]


class RoleInline(admin.TabularInline):
    model = AttributionRole
    extra = 1


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_active", "est_demo"]
    list_filter = ["organisation", "attributions_roles__role", "is_active", "est_demo"]
    list_select_related = ["organisation"]
    inlines = [RoleInline]
    actions = ["reinitialiser_double_authentification"]
    fieldsets = UserAdmin.fieldsets + (
        ("Organisation", {"fields": ("organisation", "telephone", "est_demo")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        ("Organisation", {"fields": ("organisation", "email", "first_name", "last_name")}),
    )

    @admin.action(description="Réinitialiser la double authentification (téléphone perdu)")
    def reinitialiser_double_authentification(self, request, queryset):
        for utilisateur in queryset:
            services.reset_two_factor(utilisateur=utilisateur)
        messages.success(
            request,
            f"Double authentification réinitialisée pour {queryset.count()} compte(s) : "
            "une nouvelle activation sera demandée à la prochaine connexion.",
        )


@admin.register(EvenementConnexion)
class EvenementConnexionAdmin(admin.ModelAdmin):
    """The login journal, read-only: nobody edits or deletes it by hand (it is purged after
    LOGIN_EVENTS_RETENTION_DAYS)."""

    list_display = ["date", "type", "identifiant", "utilisateur", "adresse_ip"]
    list_filter = ["type", "date"]
    search_fields = ["identifiant", "adresse_ip", "utilisateur__last_name"]
    list_select_related = ["utilisateur"]
    date_hierarchy = "date"
    readonly_fields = ["date", "type", "identifiant", "utilisateur", "adresse_ip", "navigateur"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
