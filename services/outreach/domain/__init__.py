"""The rules of the outreach service, in plain Python (arriving with its domain issue)."""
