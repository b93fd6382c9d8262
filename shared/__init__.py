"""Plumbing shared by the five Chancery services: never a domain rule."""
