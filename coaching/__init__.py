"""Coaching sessions built from evaluations (pinned moments, agenda, notes, goals, both sides' confirmation)
and employees' self-assessment."""
