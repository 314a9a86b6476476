#!/usr/bin/env bash
# Back up the database (custom format) and the stored documents and minutes.
#   scripts/sauvegarde.sh DESTINATION_DIR     (DATABASE_URL and MEDIA_ROOT from the environment)
set -euo pipefail
dest="${1:?usage: sauvegarde.sh DESTINATION_DIR}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dest"
pg_dump --format=custom --no-owner --file="$dest/asea-$stamp.dump" "${DATABASE_URL:?DATABASE_URL is required}"
if [ -n "${MEDIA_ROOT:-}" ] && [ -d "$MEDIA_ROOT" ]; then
    tar -C "$MEDIA_ROOT" -czf "$dest/documents-$stamp.tar.gz" .
fi
echo "$dest/asea-$stamp.dump"
