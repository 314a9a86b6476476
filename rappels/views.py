from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from comptes.models import Utilisateur
from rappels.enums import ModeCourriel, TypeRappel
from rappels.models import PreferenceNotification, Rappel
from rappels.services import lire_desinscription


@never_cache
def centre(request):
    rappels = Rappel.objects.pour(request.user).select_related("menage")
    page = Paginator(rappels, 30).get_page(request.GET.get("page"))
    return render(request, "rappels/centre.html", {"page": page})


@never_cache
@require_POST
def marquer_lu(request, pk=None):
    rappels = Rappel.objects.pour(request.user).non_lus()
    if pk is not None:
        rappel = get_object_or_404(rappels, pk=pk)
        rappel.lu_le = timezone.now()
        rappel.save(update_fields=["lu_le"])
        return redirect(rappel.lien or "rappels:centre")
    rappels.update(lu_le=timezone.now())
    messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect("rappels:centre")


class PreferencesForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        actuelles = dict(PreferenceNotification.objects.filter(utilisateur=user).values_list("type", "mode"))
        for type_rappel in TypeRappel:
            self.fields[type_rappel.value] = forms.ChoiceField(
                label=type_rappel.label,
                choices=ModeCourriel.choices,
                initial=actuelles.get(type_rappel.value, ModeCourriel.IMMEDIAT),
            )


@never_cache
def preferences(request):
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        for type_rappel, mode in form.cleaned_data.items():
            PreferenceNotification.objects.update_or_create(
                utilisateur=request.user, type=type_rappel, defaults={"mode": mode}
            )
        messages.success(request, "Vos préférences sont enregistrées.")
        return redirect("rappels:preferences")
    return render(request, "rappels/preferences.html", {"form": form})


@login_not_required
@never_cache
def desinscription(request, token):
    """Stop the emails of one kind, from the link in an email, without logging in (GET shows,
    POST acts: mail scanners open links)."""
    try:
        data = lire_desinscription(token)
        user = Utilisateur.objects.get(pk=data["u"], is_active=True)
        type_rappel = TypeRappel(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, Utilisateur.DoesNotExist):
        return render(request, "rappels/desinscription.html", {"erreur": True}, status=400)
    fait = False
    if request.method == "POST":
        PreferenceNotification.objects.update_or_create(
            utilisateur=user, type=type_rappel, defaults={"mode": ModeCourriel.AUCUN}
        )
        fait = True
    return render(request, "rappels/desinscription.html", {"type": type_rappel, "fait": fait})
