"""The scorecards app, the lowest layer: versioned scorecards, the scoring engine
(scorecards.scoring) and the vocabularies every other app reuses (channels, answer types,
KPIs). It imports no other app of the project (docs/architecture.md)."""
