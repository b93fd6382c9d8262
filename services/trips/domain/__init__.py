"""The rules of the trips service, in plain Python (arriving with its domain issue)."""
