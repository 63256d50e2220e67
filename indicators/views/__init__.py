"""Views of /indicadores/: thin, each calls selectors or services."""
