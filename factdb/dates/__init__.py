"""Dates: partial values, precision, and the words news uses for time."""
