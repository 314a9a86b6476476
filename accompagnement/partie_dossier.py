"""What accompagnement contributes to the household file: the support episode (level, rythme,
lateness, IML, exit), objectives and orientations, contacts, key moments and documents; their
timeline events, their part of the right-of-access export and of retention. Each record is read
through its own confidentiality rule (notes reserved to social workers stay hidden)."""

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accompagnement import permissions, selectors
from accompagnement.models import (
    Accompagnement,
    ChangementNiveau,
    ChangementRythme,
    Contact,
    Document,
    HistoriqueObjectif,
    Objectif,
    Orientation,
    SuiviPostSortie,
    TempsFort,
)
from comptes.confidentialite import lit_reserve
from comptes.lecture import Gabarit, rattacher
from menages.enums import EtatParcours
from menages.parties import LATERALE, PRINCIPALE, Action, Evenement, Export, Partie, Section, a_midi

ANONYME = "—"

# The file shows the latest contacts; all of them have their own page.
DERNIERS_CONTACTS = 10

# The support episodes with what the file shows of them, and their level changes (read for all
# the household's episodes, then attached to each: comptes.lecture.rattacher). The part's records
# are read with the other parts' (menages.parties.Lecture).
# Each a `Gabarit`: compiled once, read with the household's id (and, for the records that carry
# their own confidentiality, whether the reader may read the notes reserved to social workers).
ACCOMPAGNEMENTS = Gabarit.par(
    Accompagnement.objects.select_related("iml__partenaire", "decision_fin__seance"), "menage"
)
CHANGEMENTS_NIVEAU = Gabarit.par(
    ChangementNiveau.objects.select_related("decision__seance"), "accompagnement__menage"
)
CHANGEMENTS_RYTHME = Gabarit.par(ChangementRythme.objects.all(), "accompagnement__menage")
TEMPS_FORTS = Gabarit.par(TempsFort.objects.all(), "menage")
DERNIERS_CONTACTS_RESUMES = Gabarit(
    lambda pk, lit: selectors.contacts_resumes(Contact.objects.du_menage(pk, lit), DERNIERS_CONTACTS)
)
CONTACTS = Gabarit(lambda pk, lit: Contact.objects.du_menage(pk, lit))
DOCUMENTS = Gabarit(lambda pk, lit: Document.objects.du_menage(pk, lit))
ORIENTATIONS = Gabarit(lambda pk, lit: Orientation.objects.du_menage(pk, lit))


def lire(menage, user, lecture):
    lecture.precharger(menage, {"accompagnements": ACCOMPAGNEMENTS})
    lit = lit_reserve(user)
    lus = [
        lecture.requete(gabarit.pour(menage.pk, *variante))
        for gabarit, variante in (
            (DERNIERS_CONTACTS_RESUMES, [lit]),
            (CHANGEMENTS_NIVEAU, []),
            (selectors.OBJECTIFS, [lit]),
            (TEMPS_FORTS, []),
            (DOCUMENTS, [lit]),
            (ORIENTATIONS, [lit]),
        )
    ]
    lecture.auteurs(lus[0], "auteur")
    lecture.auteurs(lus[0], "prochaine_etape_par")
    return lambda: _contexte(menage, user, *lus)


def _contexte(menage, user, lignes_contacts, changements, objectifs, temps_forts, documents, orientations):
    rattacher(menage.accompagnements.all(), "changements_niveau", changements)
    accompagnement = next(
        (a for a in menage.accompagnements.all() if a.numero_parcours == menage.numero_parcours), None
    )
    contacts, resume = selectors.resume_contacts(lignes_contacts)
    dernier = resume["dernier"]
    peut_gerer = user.has_perm("accompagnement.gerer")
    peut_saisir_contact = user.has_perm("accompagnement.saisir_contact")
    return {
        "accompagnement": accompagnement,
        "peut_gerer": peut_gerer,
        "peut_changer": peut_gerer and accompagnement is not None and accompagnement.en_cours,
        # The level is the committee's: an administrator corrects it, the referent asks the committee.
        "peut_corriger_niveau": permissions.can_correct_level(user, menage),
        "peut_demander_niveau": permissions.can_propose_level(user, menage),
        "en_retard": accompagnement is not None
        and accompagnement.en_cours
        and selectors.en_retard(accompagnement.rythme, dernier, accompagnement.date_debut),
        "dernier_contact": dernier,
        "heures_tisf": resume["heures_tisf"],
        "contacts": contacts,
        "nombre_contacts": resume["nombre"],
        "tous_les_contacts": resume["nombre"] > DERNIERS_CONTACTS,
        "peut_saisir_contact": peut_saisir_contact,
        # A social worker corrects any contact; the others only the contacts they wrote.
        "contacts_modifiables": {
            c.pk
            for c in contacts
            if peut_saisir_contact and user.has_perm("accompagnement.modifier_contact", c)
        },
        # The header offers « Noter un contact » while the household is supported: one link, not two.
        "contact_en_tete": menage.etat in ETATS_SUIVI,
        "objectifs": objectifs,
        "orientations": orientations,
        "temps_forts": temps_forts,
        "peut_temps_forts": user.has_perm("accompagnement.temps_forts"),
        "documents": documents,
        "documents_modifiables": {d.pk for d in documents if permissions.can_change_document(user, d)},
        "peut_deposer": user.has_perm("accompagnement.deposer_document"),
    }


# While the household is supported, noting a contact is the worker's everyday action: it comes
# first in the file's header, as its one filled button (the path's steps are outlined then).
ETATS_SUIVI = frozenset({EtatParcours.ACCOMPAGNEMENT, EtatParcours.RELAIS_SORTANT})


def actions(menage, user, donnees) -> list[Action]:
    if menage.etat in ETATS_SUIVI and user.has_perm("accompagnement.saisir_contact"):
        url = reverse("accompagnement:contact", args=[menage.pk])
        return [Action("Noter un contact", url, ordre=0, style="btn-primary")]
    return []


def _si_suivi(d):
    """Objectives and contacts are shown once the support has begun (or if any were recorded)."""
    return d if d["accompagnement"] or d["objectifs"] else None


def _si_temps_forts(d):
    return d if d["accompagnement"] or d["temps_forts"] else None


def evenements(menage, user, lecture):
    """Level and rythme changes, contacts, objectives, key moments and documents."""
    lit = lit_reserve(user)
    changements_niveau, changements_rythme, contacts, objectifs, temps_forts, documents = (
        lecture.requete(gabarit.pour(menage.pk, *variante))
        for gabarit, variante in (
            (CHANGEMENTS_NIVEAU, []),
            (CHANGEMENTS_RYTHME, []),
            (CONTACTS, [lit]),
            (selectors.OBJECTIFS, [lit]),
            (TEMPS_FORTS, []),
            (DOCUMENTS, [lit]),
        )
    )
    for records, champ in (
        (changements_niveau, "auteur"),
        (changements_rythme, "auteur"),
        (contacts, "auteur"),
        (objectifs, "auteur"),
        (documents, "auteur"),
    ):
        lecture.auteurs(records, champ)

    def construire() -> list[Evenement]:
        events = []
        for c in changements_niveau:
            events.append(
                Evenement(
                    a_midi(c.date_effet),
                    f"Niveau : {c} ({c.source})",
                    "" if c.est_correction else c.motif,
                    str(c.auteur or ""),
                    "niveau",
                )
            )
        for r in changements_rythme:
            events.append(
                Evenement(
                    a_midi(r.date),
                    f"Rythme : {r.get_rythme_display().lower()}",
                    r.motif,
                    str(r.auteur or ""),
                )
            )
        for c in contacts:
            events.append(
                Evenement(c.date, c.get_type_display(), c.prochaine_etape, str(c.auteur), "contact")
            )
        for o in objectifs:
            events.append(
                Evenement(
                    a_midi(o.date_debut),
                    f"Objectif ({o.get_axe_display().lower()})",
                    o.libelle,
                    str(o.auteur or ""),
                )
            )
        for t in temps_forts:
            etat = "réalisé" if t.realise else "prévu"
            events.append(
                Evenement(t.date_prevue, f"{t.get_type_display()} ({etat})", t.get_modalite_display())
            )
        for d in documents:
            events.append(
                Evenement(d.depose_le, f"Document déposé : {d.titre}", "", str(d.auteur), "document")
            )
        return events

    return construire


def export_niveaux(menage, retenues) -> dict:
    """The support episodes with their level changes, rythmes and follow-ups after exit."""
    return {
        "accompagnements": Accompagnement.objects.filter(menage=menage).prefetch_related(
            "changements_niveau", "changements_rythme", "suivis_post_sortie"
        )
    }


def export_suivi(menage, retenues) -> dict:
    """Everything written in the follow-up: objectives, every contact's note whatever its
    confidentiality (the household may read what is written about it), but those the data
    protection officer withheld, orientations, key moments and the list of documents. No
    professional's name."""
    retenus = retenues.get("accompagnement.Contact", frozenset())
    return {
        "objectifs": Objectif.objects.filter(menage=menage)
        .prefetch_related("historique")
        .order_by("date_debut", "pk"),
        "contacts": Contact.objects.filter(menage=menage).exclude(pk__in=retenus).order_by("date", "pk"),
        "orientations": Orientation.objects.filter(menage=menage).order_by("date", "pk"),
        "temps_forts": TempsFort.objects.filter(menage=menage).order_by("date_prevue", "pk"),
        "documents": Document.objects.filter(menage=menage).order_by("depose_le", "pk"),
    }


def derniere_activite(menage):
    """The latest contact, or the end of the latest support episode."""
    dates = [
        Contact.objects.filter(menage=menage).aggregate(m=Max("date"))["m"],
        Accompagnement.objects.filter(menage=menage).aggregate(m=Max("date_fin"))["m"],
    ]
    if dates[0]:
        dates[0] = timezone.localtime(dates[0]).date()
    return max((d for d in dates if d), default=None)


def anonymiser(menage) -> None:
    """Notes, wordings, reasons, places and participants go (`menages.retention.REGISTRE`), and the
    documents with their files; levels, rythmes, dates, durations and statuses stay."""
    Accompagnement.objects.filter(menage=menage).update(correction_fin="")
    ChangementNiveau.objects.filter(accompagnement__menage=menage).update(motif=ANONYME)
    ChangementRythme.objects.filter(accompagnement__menage=menage).update(motif="")
    SuiviPostSortie.objects.filter(accompagnement__menage=menage).update(commentaire="")
    Contact.objects.filter(menage=menage).update(note="", prochaine_etape="", lieu="", autres_participants="")
    Objectif.objects.filter(menage=menage).update(libelle=ANONYME, actions="")
    HistoriqueObjectif.objects.filter(objectif__menage=menage).update(libelle=ANONYME, commentaire="")
    Orientation.objects.filter(menage=menage).update(partenaire=ANONYME, motif=ANONYME)
    TempsFort.objects.filter(menage=menage).update(participants="", commentaire="")
    for document in Document.objects.filter(menage=menage):
        document.fichier.delete(save=False)
        document.delete()


PARTIE = Partie(
    app="accompagnement",
    lire=lire,
    sections=(
        Section(
            "accompagnement",
            "accompagnement/dossier/accompagnement.html",
            PRINCIPALE,
            10,
            lambda d: d if d["accompagnement"] else None,
        ),
        Section("objectifs", "accompagnement/dossier/objectifs.html", PRINCIPALE, 20, _si_suivi),
        Section("contacts", "accompagnement/dossier/contacts.html", PRINCIPALE, 30, _si_suivi),
        Section("temps-forts", "accompagnement/dossier/temps_forts.html", LATERALE, 20, _si_temps_forts),
        Section("documents", "accompagnement/dossier/documents.html", LATERALE, 30, lambda d: d),
    ),
    actions=actions,
    evenements=evenements,
    exports=(
        Export("pdf/dossier/niveaux.html", 20, export_niveaux),
        Export("pdf/dossier/suivi.html", 40, export_suivi),
    ),
    derniere_activite=derniere_activite,
    anonymiser=anonymiser,
)
