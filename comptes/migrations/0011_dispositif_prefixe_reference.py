"""Each programme gets its own reference prefix. Until now every household reference began with
"ASEA-", whatever its programme. The first programme (lowest id) keeps "ASEA", so that its numbering
goes on where it was; each other programme gets a unique prefix derived from its code
(« asea-herault » → ASEA-HERAULT, with a numbered suffix if two codes give the same prefix).

What could not be known: the prefix each other programme would have chosen (an administrator can
change it; households already numbered keep their references), and whether the existing "ASEA-"
references of those programmes' households were meant as theirs: they are left as they are."""

import re
import unicodedata

import django.core.validators
from django.db import migrations, models

# Frozen copies of comptes.models' rule, so that this migration does not change if the model does.
PREFIXE_REFERENCE_REGEX = r"^[A-Z0-9][A-Z0-9-]{0,10}[A-Z0-9]$"


def prefixe_depuis_code(code, pris):
    sans_accents = unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode()
    base = re.sub(r"-+", "-", re.sub(r"[^A-Z0-9]", "-", sans_accents.upper())).strip("-")[:12].strip("-")
    base = base if len(base) >= 2 else f"P{base or 'R'}"
    prefixe, n = base, 1
    while prefixe in pris:
        n += 1
        suffixe = f"-{n}"
        prefixe = base[: 12 - len(suffixe)].rstrip("-") + suffixe
    return prefixe


def remplir_prefixes(apps, schema_editor):
    Dispositif = apps.get_model("comptes", "Dispositif")
    pris = set()
    for i, dispositif in enumerate(Dispositif.objects.order_by("pk")):
        prefixe = "ASEA" if i == 0 else prefixe_depuis_code(dispositif.code, pris | {"ASEA"})
        pris.add(prefixe)
        Dispositif.objects.filter(pk=dispositif.pk).update(prefixe_reference=prefixe)


class Migration(migrations.Migration):
    dependencies = [
        ("comptes", "0010_remove_dispositif_loyer_reference"),
    ]

    operations = [
        migrations.AddField(
            model_name="dispositif",
            name="prefixe_reference",
            field=models.CharField(max_length=12, null=True),
        ),
        migrations.RunPython(remplir_prefixes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dispositif",
            name="prefixe_reference",
            field=models.CharField(
                help_text="Par exemple ASEA : les ménages du programme sont numérotés ASEA-2026-0001, "
                "ASEA-2026-0002… chaque année.",
                max_length=12,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        PREFIXE_REFERENCE_REGEX,
                        "Le préfixe comporte de 2 à 12 caractères : lettres majuscules sans accent, "
                        "chiffres et tirets (ni au début ni à la fin).",
                    )
                ],
                verbose_name="préfixe des références des ménages",
            ),
        ),
    ]
