"""Kajiki templates, found by dotted name as in a quickstarted TurboGears app."""
