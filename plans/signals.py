"""Signals plans sends for the layers above it (api's webhooks), which plans never imports.

`action_overdue` is sent once per corrective action and overdue period: by the reminder job
(plans.reminders.notice_overdue) when it first finds the action past its due date, whether or not its owner
has an e-mail address, and again only when the due date is moved and passes too. The OverdueNotice row
written first (unique per action and due date) is what makes it once only, even with two workers.
Arguments: `action` (a CorrectiveAction, with its plan) and `due_date` (the date it was due)."""

from django.dispatch import Signal

action_overdue = Signal()
