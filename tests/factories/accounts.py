"""Users."""

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"persona{n}")
    first_name = "Ana"
    last_name = factory.Sequence(lambda n: f"Pérez {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cl")
    password = factory.django.Password("clave-de-prueba-123")

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True
