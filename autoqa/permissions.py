"""Who may do what in autoqa, named once. The people who decide sampling (QA leads, administrators)
also decide the automatic checks, the phrase alerts and read how far each check is trusted:
the same permission as editing a sampling rule."""

from qa import roles

MANAGE_AUTOQA = roles.CHANGE_SAMPLINGRULE
