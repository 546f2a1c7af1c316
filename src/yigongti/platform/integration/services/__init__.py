"""Writes of the integration app: API clients and inbound messages (regional sync: ``regional``)."""
