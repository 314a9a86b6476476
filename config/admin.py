from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.urls import reverse

# The models whose every row fits in a select: programmes, organisations, communes, levels, the
# committee's instances and Django's own. A relation to any other model (households, dwellings,
# users, contacts...) is typed as an id with a search popup (raw_id_fields), never a select of
# every row: at 10,000 households a select of them would weigh megabytes.
PETITS_MODELES = {
    "auth.group",
    "auth.permission",
    "contenttypes.contenttype",
    "comptes.commune",
    "comptes.dispositif",
    "comptes.niveauaccompagnement",
    "comptes.organisation",
    "comites.instance",
}


def _relations_a_saisir_par_id(model, admin_obj):
    deja = {
        *admin_obj.raw_id_fields,
        *admin_obj.autocomplete_fields,
        *admin_obj.filter_horizontal,
        *admin_obj.filter_vertical,
        *admin_obj.radio_fields,
    }
    return [
        f.name
        for f in model._meta.get_fields()
        if (f.many_to_one or f.many_to_many or f.one_to_one)
        and not f.auto_created  # forward relations only
        and f.editable
        and f.related_model._meta.label_lower not in PETITS_MODELES
        and f.name not in deja
    ]


def sans_select_de_masse(model, admin_obj):
    """Give `admin_obj` (and its inlines' classes) raw-id inputs for relations to big models."""
    admin_obj.raw_id_fields = [*admin_obj.raw_id_fields, *_relations_a_saisir_par_id(model, admin_obj)]
    for inline in admin_obj.inlines:
        inline.raw_id_fields = [*inline.raw_id_fields, *_relations_a_saisir_par_id(inline.model, inline)]


class AseaAdminSite(admin.AdminSite):
    site_header = "ASEA – administration technique"
    site_title = "ASEA administration technique"
    index_title = "Données de l’instance (équipe technique)"

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        for model in [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable:
            if model in self._registry:  # neither abstract nor swapped
                sans_select_de_masse(model, self._registry[model])

    def has_permission(self, request):
        """Only the technical staff (superusers) reach the admin site, whatever their is_staff; the
        programme's administrators manage it from the French pages of the app."""
        user = request.user
        if settings.OTP_REQUIRED and not getattr(user, "is_verified", lambda: False)():
            return False
        return user.is_active and user.is_authenticated and user.is_superuser

    def login(self, request, extra_context=None):
        """One login page for the whole app, with its lockout and second factor."""
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


class AseaAdminConfig(AdminConfig):
    default_site = "config.admin.AseaAdminSite"
