"""Resident identity: e-ID through an OpenID Connect broker, and a development login behind the same interface."""
