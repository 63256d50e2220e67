"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) under /open311/v2/, in XML and JSON.

Choices the spec leaves open, taken here:
- `service_request_id` is the incident's folio (CN-2026-000123); requests are created synchronously, so
  POST answers with it at once and `tokens/{token}` maps token = folio (same visibility as requests/{id}).
- Every error's `code` is the HTTP status it comes with (400, 403, 404, 405), as the spec's examples do;
  descriptions are translated (Spanish by default) and name the offending parameter.
- A created request answers 200 (the spec's examples show no other status).
- Only live, active, public, non-sensitive sub-sections that do not stop the form (emergencies in
  progress) are services; incidents of other categories, and incidents held for review, never show.
"""
