"""The qa app: evaluations and everything that makes or reads them.

The evaluation core (models, qa.services, qa.scoping, qa.roles), the mystery shoppers'
visit reports and their validation (qa.visits), interactions and recordings, interaction
scoring (qa.scoring_sessions), blind calibration, disputes, sampling and bulk imports.
It builds on scorecards and shops and never imports reports or config
(docs/architecture.md).
"""
