"""Where apps above qa (autoqa) add to qa's interaction pages without qa importing them (see .importlinter).

- `interaction_panels`: callables (request, interaction, evaluation=None) -> {"template": name, "context": {...}}
  or None; the interaction scoring screen and the employee's evaluation page include each returned template
  beside the recording (autoqa's transcript).
- `answer_suggestions`: callables (evaluation) -> {item_id: suggestion} or {}; the scoring screen pre-fills
  and marks the suggested answers with their evidence (autoqa's automatic answers).
- `evaluation_links`: callables (user, evaluation) -> [(label, url), ...]; the evaluation page shows each as a
  button under its title (plans' "Open an action plan").
- `evaluation_panels`: callables (request, evaluation) -> {"template": name, "context": {...}} or None; the
  evaluation page includes each returned template below the overall score (coaching: the employee's
  self-assessment beside the reviewer's answers once released, and the "Coach" action with the sessions held
  from this evaluation).
- `recording_audio`: callables (user, recording) -> None (serve the recording) or {"file": a file field or None,
  "content_type": ...}: `RecordingFileView` serves that file instead (autoqa's copy with personal data
  silenced, REDACT_AUDIO), or nothing (409) while file is None (the copy is not made yet).
- `report_panels`: callables (request, assignment) -> {"template": name, "context": {...}} or None; a visit
  report's validation page and the shopper's own report page include each returned template (pool: the messages
  between the reviewer and the shopper, and the shopper's appeal against a rejection). Each callable decides
  from request.user what that person sees.
- `report_history`: callables (assignment) -> [(when, text), ...]; the validation page's history lists them
  among the status changes (pool: messages sent, the appeal and its decision).
- `report_badges`: callables (user, assignment_ids) -> {assignment_id: [label, ...]}; the shopper's list of
  reports shows each label beside the report (pool: "New message").
Each is registered in the higher app's `AppConfig.ready()`."""


class Registry:
    def __init__(self):
        self._items = []

    def register(self, fn):
        if fn not in self._items:
            self._items.append(fn)
        return fn

    def __iter__(self):
        return iter(list(self._items))


interaction_panels = Registry()
answer_suggestions = Registry()
evaluation_links = Registry()
evaluation_panels = Registry()
recording_audio = Registry()
report_panels = Registry()
report_history = Registry()
report_badges = Registry()


def panels_for(request, interaction, evaluation=None) -> list[dict]:
    """The panels the apps above give for this interaction's page, in registration order."""
    if interaction is None:
        return []
    return [panel for fn in interaction_panels if (panel := fn(request, interaction, evaluation))]


def audio_for(user, recording) -> dict | None:
    """What this person hears of the recording: None for the recording itself."""
    for fn in recording_audio:
        chosen = fn(user, recording)
        if chosen is not None:
            return chosen
    return None


def report_panels_for(request, assignment) -> list[dict]:
    """The panels the apps above give for this visit report's page, in registration order."""
    return [panel for fn in report_panels if (panel := fn(request, assignment))]


def report_history_for(assignment) -> list[tuple]:
    return [entry for fn in report_history for entry in fn(assignment)]


def report_badges_for(user, assignment_ids) -> dict:
    """{assignment id: [label, ...]} from every app above, for a list of reports."""
    found = {}
    for fn in report_badges:
        for pk, labels in fn(user, assignment_ids).items():
            found.setdefault(pk, []).extend(labels)
    return found
