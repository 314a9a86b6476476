import django_filters
from django.db.models import Q

from comptes.enums import Role
from comptes.models import Utilisateur
from comptes.selectors import organisations_administrees


class UtilisateurFilter(django_filters.FilterSet):
    """The filters of the administration's users list."""

    recherche = django_filters.CharFilter(
        label="Nom, identifiant ou adresse électronique", method="filter_recherche"
    )
    organisation = django_filters.ModelChoiceFilter(label="Organisation", queryset=None, empty_label="Toutes")
    role = django_filters.ChoiceFilter(
        label="Rôle", choices=Role.choices, empty_label="Tous", field_name="attributions_roles__role"
    )
    statut = django_filters.ChoiceFilter(
        label="Statut",
        choices=[
            ("actif", "Actifs"),
            ("invitation", "Invitation en attente"),
            ("desactive", "Désactivés"),
        ],
        empty_label="Tous",
        method="filter_statut",
    )

    class Meta:
        model = Utilisateur
        fields = []

    def __init__(self, *args, administrateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = organisations_administrees(administrateur).order_by("nom")

    def filter_recherche(self, queryset, name, value):
        for mot in value.split()[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=mot)
                | Q(last_name__icontains=mot)
                | Q(username__icontains=mot)
                | Q(email__icontains=mot)
            )
        return queryset

    def filter_statut(self, queryset, name, value):
        if value == "actif":
            return queryset.filter(is_active=True)
        if value == "desactive":
            return queryset.filter(is_active=False)
        return queryset.filter(is_active=True, invitation_en_attente=True)
