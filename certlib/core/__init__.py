"""The vocabulary every layer speaks: OIDs, purposes, verdicts, instants, safe outputs."""
