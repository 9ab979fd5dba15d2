"""The shops app: the organisation (regions, locations, employees), mystery shoppers and
their assignments. It builds on scorecards and never imports qa, reports or config
(docs/architecture.md)."""
