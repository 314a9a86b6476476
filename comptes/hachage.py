"""Password hashing: Argon2id, with parameters for this programme's servers (2 cores)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idAsea(Argon2PasswordHasher):
    """Argon2id with 19 MiB of memory, 2 passes and 1 lane: the minimum OWASP recommends, about
    35 ms a hash on a 2-core server, so that thirty people logging in together do not queue behind
    the hashing (PBKDF2 at Django's 1,500,000 iterations takes about 600 ms of one core). A hash
    made with other parameters is made again at the user's next login."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
