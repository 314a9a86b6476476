"""The access matrix's walk of every page of the project (tests/acces/): the URL names, one record
of each kind around a demo household, and each page's URL built around them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

# Not walked here: the admin site (its own test: administrators only) and the media of vendors.
IGNORED_NAMESPACES = {"admin"}


def url_names():
    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in IGNORED_NAMESPACES:
                    continue
                yield from walk(p.url_patterns, p.namespace or namespace)
            elif p.name:
                yield f"{namespace}:{p.name}" if namespace else p.name

    return sorted(set(walk(get_resolver().url_patterns)))


def construire_monde():
    """One record of each kind around a Habitat Audois household of the demo (seeded before), and
    the arguments to build every URL of the project around them: (users, kwargs, specific)."""
    from accompagnement import services as acc
    from accompagnement.models import Orientation, TempsFort
    from comites.models import Instance, PointOrdreDuJour
    from comptes.models import Utilisateur
    from menages.models import Menage
    from rappels.models import Rappel

    users = {u.username: u for u in Utilisateur.objects.all()}
    menage = (
        Menage.objects.filter(bailleur__sigle="Habitat Audois", etat="accompagnement")
        .exclude(intervenants__type__in=["ts_iml", "tisf"])
        .order_by("pk")
        .first()
    )
    ts = users["ts.adaff"]
    contact = menage.contacts.first()
    objectif = menage.objectifs.first()
    orientation = Orientation.objects.create(menage=menage, partenaire="CSAPA", motif="Soins", auteur=ts)
    temps_fort = TempsFort.objects.create(
        menage=menage, type="entree_lieux", modalite="cesf", date_prevue=timezone.now()
    )
    document = acc.deposer_document(
        menage=menage, fichier=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), format="pdf", auteur=ts,
        type="justificatif", titre="Justificatif",
    )  # fmt: skip
    instance = Instance.objects.get(dispositif=menage.dispositif)
    point = (
        PointOrdreDuJour.objects.filter(seance__instance=instance, seance__date__gte=timezone.now())
        .order_by("seance__date", "ordre")
        .first()
    )
    rappel = Rappel.objects.create(
        cle="matrice", type="seance", destinataire=ts, titre="Rappel", du_le=timezone.now()
    )
    pre = menage.pre_diagnostics.first()
    from financement.models import RapportFinanceur
    from logements.models import Logement

    logement = (
        Logement.objects.filter(bailleur=menage.bailleur, statut="vacant", mobilisations__isnull=True)
        .order_by("pk")
        .first()
    )

    from logements.models import Attribution

    attribution = Attribution.objects.create(menage=menage, logement=logement, canal="rotation", auteur=ts)
    from logements.models import AideFsl, PlanApurement, Reclamation

    reclamation = Reclamation.objects.create(menage=menage, type="technique", description="Fuite")
    plan = PlanApurement.objects.create(
        menage=menage, date_debut=timezone.localdate(), montant_dette=300, mensualite=50
    )
    aide = AideFsl.objects.create(menage=menage, date_demande=timezone.localdate(), montant=300)
    rapport = RapportFinanceur.objects.create(
        dispositif=menage.dispositif, financeur=users["financeur.ddcspp"].organisation, periodicite="annuel",
        date_debut=timezone.localdate().replace(month=1, day=1), date_fin=timezone.localdate(),
    )  # fmt: skip
    from django.core.files.base import ContentFile

    from dossiers.models import DemandeAcces
    from financement.models import LigneBudgetaire

    ligne = LigneBudgetaire.objects.filter(convention__dispositif=menage.dispositif).order_by("pk").first()

    demande = DemandeAcces(menage=menage, demandee_par=ts, publiee_le=timezone.now())
    demande.fichier.save("dossier.pdf", ContentFile(b"%PDF-1.4 x"))
    kwargs = {
        "pk": menage.pk,
        "contact_pk": contact.pk,
        "objectif_pk": objectif.pk,
        "doc_pk": document.pk,
        "intervenant_pk": menage.intervenants.first().pk,
        "pre_pk": pre.pk,
        "instance_pk": instance.pk,
        "menage_pk": menage.pk,
        "token": "lien-invalide",
        "uidb64": "MQ",
        "action": "construire",
        "sens": "monter",
    }
    specific = {
        "accompagnement:orientation_modifier": {"pk": menage.pk, "obj_pk": orientation.pk},
        "accompagnement:temps_fort_modifier": {"pk": menage.pk, "obj_pk": temps_fort.pk},
        "comites:seance": {"pk": point.seance_id},
        "comites:seance_creer": {"instance_pk": instance.pk},
        "comites:point_ajouter": {"pk": point.seance_id},
        "comites:pv": {"pk": point.seance_id},
        "comites:pv_statut": {"pk": point.seance_id},
        "comites:seance_action": {"pk": point.seance_id, "action": "construire"},
        "comites:seance_clore": {"pk": point.seance_id},
        "comites:consulter": {"pk": point.seance_id},
        "comites:seance_deplacer": {"pk": point.seance_id},
        "comites:seance_sans_seance": {"pk": point.seance_id},
        "comites:point": {"pk": point.pk},
        "comites:point_deplacer": {"pk": point.pk},
        "comites:point_decider": {"pk": point.pk},
        "comites:point_synthese": {"pk": point.pk},
        "comites:ordre_du_jour": {"pk": point.seance_id},
        "rappels:lu": {"pk": rappel.pk},
        "menages:consentement_retirer": {
            "pk": menage.pk,
            "consentement_pk": menage.consentements.actifs().first().pk,
        },
        "journal_utilisateur": {"pk": users["cesf.habitat"].pk},
        "administration:utilisateur": {"pk": users["cesf.habitat"].pk},
        "administration:modifier": {"pk": users["cesf.habitat"].pk},
        "administration:action": {"pk": users["cesf.habitat"].pk, "action": "desactiver"},
        "invitation": {"jeton": "lien-invalide"},
        "logements:detail": {"pk": logement.pk},
        "logements:mobiliser": {"pk": logement.pk},
        "logements:importer": {"bailleur_pk": menage.bailleur_id},
        "logements:attribution": {"pk": attribution.pk},
        "logements:entree": {"pk": menage.pk, "nature": "plan"},
        "logements:attribution_nouvelle": {"pk": menage.pk, "logement_pk": logement.pk},
        "logements:signalement_logement": {"logement_pk": logement.pk},
        "logements:signalement_transmis": {"logement_pk": logement.pk},
        "logements:reclamation_prendre_en_charge": {"pk": reclamation.pk},
        "logements:clore": {"nature": "reclamation", "pk": reclamation.pk},
        "logements:plan_statut": {"pk": plan.pk},
        "logements:fsl_decision": {"pk": aide.pk},
        "logements:corriger": {"nature": "reclamation", "pk": reclamation.pk},
        "logements:supprimer": {"nature": "reclamation", "pk": reclamation.pk},
        "financement:consolide_export": {"format": "csv"},
        "financement:convention": {"pk": menage.dispositif_id},
        "financement:tableau": {"pk": menage.dispositif_id},
        "financement:actualiser": {"pk": menage.dispositif_id},
        "financement:export": {"pk": menage.dispositif_id, "format": "csv"},
        "financement:rapport_commentaire": {"pk": rapport.pk},
        "financement:rapport_statut": {"pk": rapport.pk},
        "financement:rapport_telecharger": {"pk": rapport.pk},
        "financement:convention_modifier": {"pk": menage.dispositif_id},
        "financement:plan_financement": {"pk": menage.dispositif_id},
        "financement:ligne_creer": {"pk": menage.dispositif_id},
        "financement:ligne_modifier": {"pk": ligne.pk},
        "administration_organisation_modifier": {"pk": menage.bailleur_id},
        "administration_dispositif": {"pk": menage.dispositif_id},
        "dossiers:acces_relire": {"pk": demande.pk},
        "dossiers:acces_pdf": {"pk": demande.pk},
    }
    return users, kwargs, specific


def build_url(name, kwargs, specific):
    from django.urls import NoReverseMatch

    if name in specific:
        return reverse(name, kwargs=specific[name])
    for candidate in (
        {},
        {"pk": kwargs["pk"]},
        {"token": kwargs["token"]},
        {"uidb64": kwargs["uidb64"], "token": kwargs["token"]},
        {"menage_pk": kwargs["menage_pk"]},
        {"instance_pk": kwargs["instance_pk"]},
    ):
        try:
            return reverse(name, kwargs=candidate)
        except NoReverseMatch:
            pass
    for extra in ("contact_pk", "objectif_pk", "doc_pk", "intervenant_pk", "pre_pk"):
        try:
            return reverse(name, kwargs={"pk": kwargs["pk"], extra: kwargs[extra]})
        except NoReverseMatch:
            pass
    raise AssertionError(f"No way to build the URL of {name}: add it to the `specific` table of the test")
