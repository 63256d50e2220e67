"""The indexes the indicators ask workflows for, as SQL, so the benchmark can measure with them in place.

Public dashboards exclude reports held for review; `held_for_review` is not in the covering indexes of
workflows (migration 0009), so without these every public query visits the table. The lead adds them to
`Incident.Meta.indexes` (see the report of issue 7):

    models.Index(
        fields=["created_at"],
        include=[*INDICATOR_COLUMNS, "reporter", "is_anonymous"],
        condition=models.Q(held_for_review=False),
        name="incident_public_created_cov",
    ),
    models.Index(
        fields=["status", "created_at"],
        include=["category"],
        condition=models.Q(held_for_review=False),
        name="incident_public_status_cov",
    ),

The second one serves the open backlog by age (open statuses only: few rows, whatever the window).
"""

PROPOSED_INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS incident_public_created_cov ON workflows_incident (created_at) "
    "INCLUDE (category_id, neighbourhood_id, responsible_actor_id, channel, status, latitude, longitude, "
    "resolved_at, due_at, closed_at, contested_count, reporter_id, is_anonymous) "
    "WHERE NOT held_for_review; "
    "CREATE INDEX IF NOT EXISTS incident_public_status_cov ON workflows_incident (status, created_at) "
    "INCLUDE (category_id) WHERE NOT held_for_review"
)
