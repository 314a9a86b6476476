"""The household file is made of parts, each owned by the app that holds its records.

An app with records about a household registers one `Partie` from its `AppConfig.ready()`: the
sections it shows on the household file, the actions it offers there, the events it adds to the
timeline, its part of the household's right-of-access export, and its step of the retention
(last activity, anonymisation). The household file pages (`dossiers`) only assemble the parts, and
the retention (`menages.retention`) runs each part's step, so menages imports none of the apps
above it: they come to it, as plugins come to pretix's log display.

Every callable is given a household already loaded through the reader's access rule
(`Menage.objects.visible_to`); each part still reads its own records through their own rule
(confidential notes, documents).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from comptes.lecture import Lot

PRINCIPALE = "principale"
LATERALE = "laterale"


class Lecture(Lot):
    """What the parts of one page read, in two round trips: their records (`requete`,
    `precharger`: comptes.lecture.Lot), then the users those records show as authors. A part
    adds its querysets, and the (records, name of the user field) pairs whose authors it shows
    (`auteurs`), while it prepares; the page calls `lire()` once, then has each part build what it
    shows. The file shows who wrote a dozen kinds of records, mostly the same few people: a join to
    the user table in each of their queries would cost more than this one query."""

    def __init__(self):
        super().__init__()
        self._groupes = []

    def auteurs(self, records: Iterable, champ: str) -> None:
        """Read the authors of `records` (a list `requete` or `precharger` returned, filled when
        `lire()` runs) in field `champ`."""
        self._groupes.append((records, champ))

    def lire(self) -> None:
        from comptes.models import Utilisateur

        super().lire()
        pending = []
        for records, name in self._groupes:
            for record in records:
                field_ = record._meta.get_field(name)
                if not field_.is_cached(record):
                    pending.append((record, field_))
        ids = {getattr(record, field_.attname) for record, field_ in pending} - {None}
        users = Utilisateur.objects.order_by().in_bulk(ids) if ids else {}
        for record, field_ in pending:
            field_.set_cached_value(record, users.get(getattr(record, field_.attname)))
        self._groupes = []


@dataclass
class Evenement:
    """One line of the household's timeline."""

    date: datetime
    titre: str
    detail: str = ""
    auteur: str = ""
    categorie: str = "parcours"

    # The timeline shows dozens of dates: formatted here, they cost a tenth of the `date` filter.
    @property
    def date_iso(self) -> str:
        """As `{{ date|date:"c" }}`: ISO 8601, in the current time zone."""
        return timezone.localtime(self.date).isoformat()

    @property
    def jour(self) -> str:
        """As `{{ date|date:"d/m/Y" }}`, in the current time zone."""
        return timezone.localtime(self.date).strftime("%d/%m/%Y")


def a_midi(jour: date) -> datetime:
    """A day-only fact placed on the timeline (at noon, Paris time)."""
    return timezone.make_aware(datetime.combine(jour, time(12)))


@dataclass(frozen=True)
class Action:
    """A link in the household file's header, offered only when the reader may take it: the
    template does not decide again from the household's state. It opens a page (a form, or a
    confirmation that says what the action will do): nothing is done in one click."""

    libelle: str
    url: str
    ordre: int
    style: str = "btn-outline-primary"


@dataclass(frozen=True)
class Section:
    """A block of the household file. `contexte(donnees)` picks, from what its part read for the
    page (`Partie.lire`), what the block's template reads (as `s`), or returns None when the block
    has nothing to show to this reader."""

    id: str
    template: str
    colonne: str
    ordre: int
    contexte: Callable


@dataclass(frozen=True)
class Export:
    """A part of the household's right-of-access PDF: `contexte(menage, retenues)` is what
    `template` reads (as `s`). `retenues` maps a model label to the ids of the records the data
    protection officer withheld from this export (a part leaves them out)."""

    template: str
    ordre: int
    contexte: Callable


@dataclass(frozen=True)
class Partie:
    """What one app contributes to the household file.

    - `lire(menage, user, lecture)`: adds to `lecture` (a `Lecture`, read once for the whole
      page) the querysets of the app's records the file shows to `user` and the authors they show,
      and returns the function that builds, once they are read, what its sections show (None
      when the part has nothing to show to this reader);
    - `actions(menage, user, donnees)`: the header's buttons the reader may use (`donnees`: what
      the part's `lire` built, None without it);
    - `evenements(menage, user, lecture)`: the same for the timeline: adds the querysets of the
      app's records for the timeline that `user` may read, and returns the function that turns
      them into `Evenement`s once they and their authors are read;
    - `derniere_activite(menage)`: the date of the app's latest activity on the household, or None;
    - `anonymiser(menage)`: remove what identifies the household or tells about it in the app's
      free text, keeping the figures (retention).
    """

    app: str
    lire: Callable | None = None
    sections: tuple[Section, ...] = ()
    actions: Callable | None = None
    evenements: Callable | None = None
    exports: tuple[Export, ...] = ()
    derniere_activite: Callable | None = None
    anonymiser: Callable | None = None


_parties: dict[str, Partie] = {}
# The apps' ready() run in INSTALLED_APPS order: the steps of retention run in that order too.


def enregistrer(partie: Partie) -> None:
    _parties[partie.app] = partie


def parties() -> list[Partie]:
    return list(_parties.values())


def exports() -> list[Export]:
    return sorted((e for p in _parties.values() for e in p.exports), key=_ordre)


def _ordre(item) -> int:
    return item.ordre


@dataclass(frozen=True)
class Bloc:
    """A section, or a part of the export, with what it shows to this reader (`s`)."""

    template: str
    s: dict
    id: str = ""
