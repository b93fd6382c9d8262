"""The rules of the outreach service, in plain Python."""
