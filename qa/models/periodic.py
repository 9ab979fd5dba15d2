"""The one chain of periodic ticks (qa.tasks.periodic_tick), kept in a single row."""

from django.db import models


class PeriodicTick(models.Model):
    """The single row (pk=1) that says which tick is the live one.

    Each tick is enqueued with the `generation` it belongs to. A tick first moves the row on
    from its generation to the next with one conditional UPDATE (compare-and-swap), and only
    the tick that wins runs the jobs and enqueues its successor. Two workers, a tick run twice,
    or a second chain started by mistake therefore never run the jobs twice for one tick:
    every tick but the one of the current generation finds the row moved on and stops."""

    generation = models.PositiveBigIntegerField(default=0)
    result_id = models.CharField(max_length=64, blank=True, help_text="The task result of the pending tick.")
    run_after = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_errors = models.JSONField(default=list, blank=True, help_text="Jobs that failed on the last tick.")

    class Meta:
        verbose_name = "periodic tick"

    def __str__(self):
        return f"tick {self.generation} after {self.run_after}"
