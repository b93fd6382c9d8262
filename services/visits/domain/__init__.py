"""The rules of incoming visits, in plain Python."""
