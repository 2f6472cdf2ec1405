"""tierslieux: run tiers-lieux, prove their impact, carry their networks."""
