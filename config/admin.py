from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class AseaAdminSite(admin.AdminSite):
    site_header = "ASEA – administration"
    site_title = "ASEA administration"
    index_title = "Paramétrage du dispositif"

    def has_permission(self, request):
        """Only administrators of the programme reach the admin site, whatever their is_staff."""
        user = request.user
        return user.is_active and user.is_authenticated and user.est_administrateur


class AseaAdminConfig(AdminConfig):
    default_site = "config.admin.AseaAdminSite"
