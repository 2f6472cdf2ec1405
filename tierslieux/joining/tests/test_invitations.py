"""The team invites by e-mail; the link sets a password, logs in and gives the role; it
expires, a resend kills the old link, a revoke kills it too."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tierslieux.accounts.models import Person, User, hash_token
from tierslieux.core.models import AuditEntry
from tierslieux.joining.models import Invitation
from tierslieux.joining.services import invitations
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as f

PASSWORD = "un mot de passe solide"


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/join/invitation/[^/\s]+/)", message.body).group(1)


def invite_by_page(client, place, **data):
    payload = {
        "email": "lea@example.org",
        "first_name": "Léa",
        "last_name": "Martin",
        "role": "member",
    }
    payload.update(data)
    return client.post(reverse("joining_manage:invitations", args=[place.slug]), payload)


def test_an_invitation_sets_a_password_logs_in_and_gives_the_member_role(
    client, place, coordinator, outbox
):
    client.force_login(coordinator)
    response = invite_by_page(client, place)
    assert response.status_code == 302
    invitation = Invitation.objects.get(place=place)
    assert invitation.role == PlaceRole.Role.MEMBER  # the default
    assert len(outbox) == 1 and outbox[0].to == ["lea@example.org"]
    assert "La Fabrique" in outbox[0].subject and "Invitation" in outbox[0].subject
    link = link_in(outbox[0])
    assert invitation.digest == hash_token(link.split("/")[-2])  # stored hashed only
    assert link.split("/")[-2] not in str(Invitation.objects.values().get())

    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "Léa Martin" in page.content.decode()
    done = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302
    user = User.objects.get(email="lea@example.org")
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert PlaceRole.objects.filter(place=place, person__user=user, role="member").exists()
    assert client.get(link).status_code == 410  # used once
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"invitation.create", "invitation.accept", "role.grant"} <= actions


def test_an_existing_person_of_the_place_is_linked_to_the_new_login(
    client, place, coordinator, outbox
):
    person = Person.objects.create(first_name="Paul", last_name="Roy", email="paul@example.org")
    PlaceRole.objects.create(place=place, person=person, role="volunteer")
    client.force_login(coordinator)
    people = client.get(reverse("places:manage_people", args=[place.slug])).content.decode()
    assert f"?person={person.pk}" in people  # "invite to log in" from the people page
    assert (
        invite_by_page(client, place, person=person.pk, email="", role="member").status_code == 302
    )
    client.logout()
    client.post(link_in(outbox[0]), {"password1": PASSWORD, "password2": PASSWORD})
    person.refresh_from_db()
    assert person.user.email == "paul@example.org"
    assert set(person.place_roles.values_list("role", flat=True)) == {"volunteer", "member"}


def test_an_existing_login_accepts_while_logged_in_and_keeps_its_password(
    client, place, coordinator, outbox
):
    someone = f.user(email="ana@example.org")
    invitations.invite(
        actor=coordinator, place=place, email="ANA@example.org", first_name="A", last_name="B"
    )
    link = link_in(outbox[0])
    page = client.get(link).content.decode()
    assert "connectez-vous" in page.lower()
    assert client.post(link, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 200
    assert not PlaceRole.objects.filter(place=place, person__user=someone).exists()
    client.force_login(someone)
    assert client.post(link).status_code == 302
    someone.refresh_from_db()
    assert someone.check_password("correct horse battery")
    assert PlaceRole.objects.filter(place=place, person__user=someone, role="member").exists()


def test_a_link_expires_after_seven_days(client, place, coordinator, clock, outbox):
    clock.set(clock.now())
    invitations.invite(
        actor=coordinator, place=place, email="x@example.org", first_name="X", last_name="Y"
    )
    link = link_in(outbox[0])
    clock.advance(timedelta(days=7, seconds=1))
    assert client.get(link).status_code == 410
    refused = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert refused.status_code == 410
    assert not User.objects.filter(email="x@example.org").exists()


def test_resend_makes_a_new_link_and_the_old_one_dies(client, place, coordinator, clock, outbox):
    clock.set(clock.now())
    invitation, _raw = invitations.invite(
        actor=coordinator, place=place, email="x@example.org", first_name="X", last_name="Y"
    )
    old = link_in(outbox[0])
    clock.advance(timedelta(days=8))  # expired: the team resends it
    client.force_login(coordinator)
    client.post(reverse("joining_manage:resend", args=[place.slug, invitation.pk]))
    new = link_in(outbox[1])
    assert new != old
    client.logout()
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200
    invitation.refresh_from_db()
    assert invitation.sends == 2 and invitation.expires_at == clock.now() + timedelta(days=7)


def test_revoke_asks_first_then_the_link_dies(client, place, coordinator, outbox):
    invitation, _raw = invitations.invite(
        actor=coordinator, place=place, email="x@example.org", first_name="X", last_name="Y"
    )
    url = reverse("joining_manage:revoke", args=[place.slug, invitation.pk])
    client.force_login(coordinator)
    assert "Révoquer" in client.get(url).content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None  # asking wrote nothing
    client.post(url)
    client.logout()
    assert client.get(link_in(outbox[0])).status_code == 410
    assert AuditEntry.objects.filter(action="invitation.revoke").exists()


def test_inviting_a_coordinator_asks_first(client, place, coordinator, outbox):
    client.force_login(coordinator)
    asked = invite_by_page(client, place, role="coordinator")
    assert asked.status_code == 200 and "coordinat" in asked.content.decode()
    assert 'name="email" value="lea@example.org"' in asked.content.decode()  # carried on
    assert not Invitation.objects.exists() and outbox == []
    assert invite_by_page(client, place, role="coordinator", confirmed="1").status_code == 302
    assert Invitation.objects.get().role == "coordinator"
    with pytest.raises(ValidationError):
        invitations.invite(
            actor=coordinator,
            place=place,
            role="coordinator",
            email="z@e.org",
            first_name="Z",
            last_name="Z",
        )


def test_a_second_open_invitation_to_the_same_address_is_refused_on_the_form(
    client, place, coordinator
):
    client.force_login(coordinator)
    invite_by_page(client, place)
    again = invite_by_page(client, place, email="LEA@example.org")
    assert again.status_code == 422
    assert "email" in again.context["form"].errors
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    "data", [{"email": ""}, {"email": "pas-une-adresse"}, {"first_name": "a\nb"}, {"role": "boss"}]
)
def test_bad_input_answers_422_and_sends_nothing(client, place, coordinator, outbox, data):
    client.force_login(coordinator)
    assert invite_by_page(client, place, **data).status_code == 422
    assert not Invitation.objects.exists() and outbox == []


def test_only_the_coordinators_invite(client, place, staff, member, other_coordinator):
    url = reverse("joining_manage:invitations", args=[place.slug])
    for who in (staff, member, other_coordinator):
        client.force_login(who)
        assert client.get(url).status_code == 403
        assert invite_by_page(client, place).status_code == 403
        with pytest.raises(PermissionDenied):
            invitations.invite(
                actor=who, place=place, email="q@e.org", first_name="Q", last_name="Q"
            )
    assert not Invitation.objects.exists()


def test_an_invitation_from_someone_no_longer_coordinator_gives_no_role(
    client, place, coordinator, outbox
):
    invitations.invite(
        actor=coordinator, place=place, email="x@example.org", first_name="X", last_name="Y"
    )
    PlaceRole.objects.filter(person__user=coordinator).delete()
    link = link_in(outbox[0])
    refused = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert refused.status_code == 422
    assert not User.objects.filter(email="x@example.org").exists()


def test_a_weak_or_mismatched_password_is_refused(client, place, coordinator, outbox):
    invitations.invite(
        actor=coordinator, place=place, email="x@example.org", first_name="X", last_name="Y"
    )
    link = link_in(outbox[0])
    assert client.post(link, {"password1": "123", "password2": "123"}).status_code == 422
    assert (
        client.post(link, {"password1": PASSWORD, "password2": PASSWORD + "x"}).status_code == 422
    )
    assert not User.objects.filter(email="x@example.org").exists()


def test_the_email_is_in_the_known_language_of_the_account(place, coordinator, outbox):
    f.user(email="en@example.org", language="en")
    invitations.invite(
        actor=coordinator, place=place, email="en@example.org", first_name="E", last_name="N"
    )
    invitations.invite(
        actor=coordinator, place=place, email="fr@example.org", first_name="F", last_name="R"
    )
    assert outbox[0].subject == "Invitation to join La Fabrique"
    assert outbox[1].subject == "Invitation à rejoindre La Fabrique"


def test_someone_logged_in_with_another_account_is_told_and_takes_nothing(
    client, place, coordinator, member, outbox
):
    invitations.invite(
        actor=coordinator, place=place, email="new@example.org", first_name="N", last_name="W"
    )
    link = link_in(outbox[0])
    client.force_login(member)
    page = client.get(link).content.decode()
    assert "new@example.org" in page and "autre compte" in page
    assert client.post(link).status_code == 200
    assert Invitation.objects.get().accepted_at is None
    assert not User.objects.filter(email="new@example.org").exists()


def test_the_people_page_counts_what_waits_for_the_team(client, place, coordinator, outbox):
    from tierslieux.joining.services import signups

    invitations.invite(
        actor=coordinator, place=place, email="a@example.org", first_name="A", last_name="A"
    )
    signups.update_settings(actor=coordinator, place=place, signup_open=True, auto_accept=False)
    signups.ask_to_join(user=f.user(), place=place)
    client.force_login(coordinator)
    page = client.get(reverse("places:manage_people", args=[place.slug])).content.decode()
    assert "1 invitation en attente" in page
    assert "1 demande d’adhésion à traiter" in page


def test_a_person_of_the_place_with_a_login_accepts_while_logged_in(
    client, place, coordinator, member, outbox
):
    invitations.invite(actor=coordinator, place=place, person=member.person, role="staff")
    assert outbox[0].to == [member.email]
    client.force_login(member)
    assert client.post(link_in(outbox[0])).status_code == 302
    roles = set(
        PlaceRole.objects.filter(place=place, person=member.person).values_list("role", flat=True)
    )
    assert roles == {"member", "staff"}
