"""Reads of the indicators app (dashboards, participation, audit); see common.py for the shared rules."""
