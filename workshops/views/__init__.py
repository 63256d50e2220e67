"""Views of workshops: thin, calling services and selectors."""
