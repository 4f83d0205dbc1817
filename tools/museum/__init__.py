"""The Python Web Museum's command: `museum`."""
