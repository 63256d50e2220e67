"""The taxonomy API's JSON, built once per language and version instead of on every request.

Serialising every section with its sub-sections took most of a taxonomy request (run 5: 23 req/s on two
daphne processes, 0.06× the bare view), and the citizen app asks for it on every start. Editors change the
taxonomy rarely: any save or delete of a category or an actor (the sub-sections name their responsible actor)
gives the taxonomy a new version (at once and again when its transaction commits), so the next request
builds it again. Entries
also expire after the same 5 minutes that clients may keep the answer.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

VERSION_KEY = "cms:taxonomy:version"


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A new random version (never 1, 2…): entries cached before an eviction can never be read again.
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def cached_taxonomy(build, *, seconds: int):
    """The taxonomy data for the request's language: from the cache, or `build()` stored there."""
    key = f"cms:taxonomy:{get_language()}:{_version()}"
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, seconds)
    return data


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def taxonomy_changed(sender, **kwargs) -> None:
    # Now, and again once the transaction commits: a request between the change and its commit reads the
    # old rows and would cache them under the first new version.
    _new_version()
    transaction.on_commit(_new_version)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for name, signal in (("save", post_save), ("delete", post_delete)):
        for model in ("cms_content.IncidentCategory", "cms_content.Actor"):
            signal.connect(taxonomy_changed, sender=model, dispatch_uid=f"taxonomy-cache-{model}-{name}")
