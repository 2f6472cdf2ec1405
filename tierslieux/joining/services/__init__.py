"""The only code that writes invitations, sign-up requests, joining settings and profiles.

Each function checks access itself (the team's acts need `Perm.EDIT_PEOPLE`), writes in one
transaction, leaves an audit entry and queues its e-mails after commit. Roles are given by
`places.services.grant_role`, with the authority of the team member who decided.
"""
