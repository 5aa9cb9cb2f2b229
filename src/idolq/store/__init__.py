"""The only place idolq writes SQL."""
