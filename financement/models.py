"""The convention, financing plan, budget execution, targets, indicators and funder reports.
Built by the funding issue."""
