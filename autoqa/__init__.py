"""Automatic QA: transcripts of recordings (redacted before they are stored), rules on scorecard items,
automatic evaluations with their evidence, their measured agreement with reviewers, and spotlights for sampling."""
