from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.urls import reverse


class AseaAdminSite(admin.AdminSite):
    site_header = "ASEA – administration"
    site_title = "ASEA administration"
    index_title = "Paramétrage du dispositif"

    def has_permission(self, request):
        """Only administrators of the programme reach the admin site, whatever their is_staff."""
        user = request.user
        if settings.OTP_REQUIRED and not getattr(user, "is_verified", lambda: False)():
            return False
        return user.is_active and user.is_authenticated and user.est_administrateur

    def login(self, request, extra_context=None):
        """One login page for the whole app, with its lockout and second factor."""
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


class AseaAdminConfig(AdminConfig):
    default_site = "config.admin.AseaAdminSite"
