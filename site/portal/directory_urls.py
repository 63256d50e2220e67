"""Public directory of actors (filled in by the directory work)."""

urlpatterns: list = []
