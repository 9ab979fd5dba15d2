"""The reports app: dashboards, per-location and per-employee reports, and their PDF,
Excel and CSV exports, all from evaluations qa.scoping lets the reader see. Only config
imports it (docs/architecture.md)."""
