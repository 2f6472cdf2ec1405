"""The second factor's devices and the listed browser sessions are a person's data: in the
export without their secrets, gone with the erasure."""

from __future__ import annotations

import json

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tierslieux.accounts.models import UserSession
from tierslieux.privacy import services


def test_devices_and_sessions_exported_without_secrets_and_erased(client, member, place):
    totp = TOTPDevice.objects.create(user=member, name="Téléphone", confirmed=True)
    StaticDevice.objects.create(user=member, name="backup", confirmed=True)
    client.force_login(member)
    assert client.get(reverse("web:dashboard")).status_code == 200  # the session is listed
    response = client.get(reverse("privacy:export"))
    data = json.loads(response.content)
    assert [d["name"] for d in data["otp_totp.TOTPDevice"]] == ["Téléphone"]
    assert "key" not in data["otp_totp.TOTPDevice"][0]
    assert totp.key not in response.content.decode()
    sessions = data["accounts.UserSession"]
    assert sessions and "session_key" not in sessions[0]
    assert client.session.session_key not in response.content.decode()

    services.erase(actor=member, person=member.person)
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not StaticDevice.objects.filter(user=member).exists()
    assert not UserSession.objects.filter(user=member).exists()
