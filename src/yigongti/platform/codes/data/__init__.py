"""Seed data files (package so the JSON ships with the wheel)."""
