"""Shipped case files: what happened after earlier negotiations, with sources."""
