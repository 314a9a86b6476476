#!/usr/bin/env bash
# Restore a backup into an EMPTY database, then check it: migrations up to date, row counts shown.
#   scripts/restauration.sh FILE.dump TARGET_DATABASE_URL [DOCUMENTS.tar.gz MEDIA_ROOT]
set -euo pipefail
dump="${1:?usage: restauration.sh FILE.dump TARGET_DATABASE_URL}"
target="${2:?usage: restauration.sh FILE.dump TARGET_DATABASE_URL}"
pg_restore --no-owner --exit-on-error --dbname="$target" "$dump"
if [ -n "${3:-}" ]; then
    mkdir -p "${4:?MEDIA_ROOT to restore the documents into}"
    tar -C "$4" -xzf "$3"
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
DATABASE_URL="$target" "$here/.venv/bin/python" "$here/manage.py" migrate --check
DATABASE_URL="$target" "$here/.venv/bin/python" "$here/manage.py" shell -c "
from menages.models import Menage; from accompagnement.models import Contact
print(f'Restauration vérifiée : ménages {Menage.objects.count()}, contacts {Contact.objects.count()}.')"
