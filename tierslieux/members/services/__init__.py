"""The only code that writes the members app's data, one module per concern: `catalogue`,
`subscriptions`, `sales` (one-off purchases invoiced at once), `charges` (what the bill run
will invoice), `credits` (the ledger), `billrun` (the monthly bill run; its SEPA file in
`billrun_sepa`). Customers are billing's (`billing.services.customers`). Import the module
you need: `from tierslieux.members.services import credits`.
"""
