"""The only code that writes the members app's data, one module per concern:
`customers` (the billing customer of a person or an organisation), `catalogue`,
`subscriptions`, `sales` (one-off purchases invoiced at once), `credits` (the ledger),
`billrun` (the monthly bill run). Import the module you need: `from
tierslieux.members.services import credits`.
"""
