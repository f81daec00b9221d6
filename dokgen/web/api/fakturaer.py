"""``/api/v1/fakturaer`` (being built: see issue 4)."""
