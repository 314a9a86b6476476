"""The session engine: Django's database sessions, with the user's id stored in its own column.

Deactivating a user can then delete every one of their sessions in one query, whatever the number
of devices they used, and whatever rotations of the session key happened since they logged in.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore


class SessionStore(DbSessionStore):
    @classmethod
    def get_model_class(cls):
        from comptes.models import SessionUtilisateur

        return SessionUtilisateur

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        try:
            instance.utilisateur_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            instance.utilisateur_id = None
        return instance
