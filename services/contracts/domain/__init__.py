"""The rules of the contracts service, in plain Python (arriving with its domain issue)."""
