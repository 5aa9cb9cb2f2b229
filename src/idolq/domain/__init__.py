"""The rules of idolq's workflow. Imports nothing outside the standard library."""
