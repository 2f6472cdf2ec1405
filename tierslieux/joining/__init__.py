"""How people join a place (layer between `billing` and `places`; nothing below imports it).

- Invitations: the team (`Perm.EDIT_PEOPLE`) invites a person of the place or a newcomer by
  e-mail, with a role (Member by default; Coordinator asks first). The link (its SHA-256 only
  is stored) lives seven days; a resend makes a new one and kills the old, a revoke kills it.
  Taking it makes the login (or uses the address's login, once logged in), links it to the
  person and gives the role through `places.services.grant_role`, on the inviter's authority.
- Sign-up: where the place opened it (`JoinSettings`), a visitor asks from the place's page,
  confirms the address (the login is made then), and waits for the team, or is accepted at
  once on the authority of the coordinator who chose so. Nothing tells who has an account.
- Profile (`/accounts/profile/`): name, language, a new e-mail used once confirmed (a signed
  link bound to the address it replaces), the password link, the person's places and roles.

The places' templates show the button and the counts through `{% load joining %}`.
"""
