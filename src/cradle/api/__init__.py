"""The open data API: /api/v1/, read-only, described by an OpenAPI document (ADR 0035)."""
