"""A file email backend that takes its time, so that a test can kill a worker in the middle of a
batch of sends."""

import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(0.25)
        return super().send_messages(email_messages)
