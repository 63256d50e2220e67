"""The incidents REST API under /api/ (DRF): serializers, views, parsers, throttles, URLs."""
