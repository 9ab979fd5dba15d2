"""Signals of the autoqa app.

`transcript_ready` is sent (sender=Transcript, transcript=...) after a transcript is stored with status done,
inside no transaction of its own; the automatic checks listen to it to evaluate the interaction."""

from django.dispatch import Signal

transcript_ready = Signal()
