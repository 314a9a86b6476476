"""The household's right of access, as the people do it: its social worker prepares the export,
the data protection officer withholds notes and releases it, the social worker downloads the PDF."""

import io

from django.urls import reverse
from pypdf import PdfReader

from comptes.enums import Role
from comptes.tests.factories import user_with_role
from dossiers.models import DemandeAcces


def dpo_de(organisation, username="dpo"):
    return user_with_role(Role.DPO, organisation, username=username)


def texte_pdf(contenu: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)


def pdf_remis(client, menage, *, referent, dpo, retenir=None) -> str:
    """The text of the PDF released after the review; `retenir` maps contacts to the reasons the
    DPO withholds their notes for."""
    client.force_login(referent)
    assert client.post(reverse("dossiers:export", args=[menage.pk])).status_code == 302
    demande = DemandeAcces.objects.filter(menage=menage, publiee_le__isnull=True).get()
    client.force_login(dpo)
    url = reverse("dossiers:acces_relire", args=[demande.pk])
    for contact, motif in (retenir or {}).items():
        response = client.post(
            url, {"action": "retenir", "contact": contact.pk, f"c{contact.pk}-motif": motif}
        )
        assert response.status_code == 302
    assert client.post(url, {"action": "publier"}).status_code == 302
    client.force_login(referent)
    response = client.get(reverse("dossiers:acces_pdf", args=[demande.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return texte_pdf(b"".join(response.streaming_content))
