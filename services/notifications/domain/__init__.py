"""The rules of who hears about what, in plain Python."""
