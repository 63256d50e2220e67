"""Settings per environment: base (shared), dev (embedded default), test, production."""
