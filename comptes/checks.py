"""System checks for the security settings that must never be relaxed outside demo mode."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def otp_required_outside_demo(app_configs, **kwargs):
    if not settings.OTP_REQUIRED and not settings.DEMO_MODE:
        return [
            checks.Error(
                "OTP_REQUIRED is off outside demo mode.",
                hint="Two-factor authentication can be switched off only with DEMO_MODE=1.",
                id="comptes.E001",
            )
        ]
    return []
