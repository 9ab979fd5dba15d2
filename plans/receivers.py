"""Plans listen to qa's release signal (qa never imports plans)."""

from qa.signals import evaluation_released


def on_release(sender, evaluation, **kwargs):
    from plans import triggers

    triggers.on_release(evaluation)


def connect():
    evaluation_released.connect(on_release, dispatch_uid="plans.on_release")


def evaluation_links(user, evaluation):
    """"Open an action plan" on a released evaluation's page, for those who open plans about its location."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from plans.scoping import may_open_plans
    from qa import scoping

    if (evaluation.status != evaluation.Status.RELEASED or evaluation.is_calibration or not may_open_plans(user)
            or not scoping.locations_for(user).filter(pk=evaluation.location_id).exists()):
        return []
    return [(_("Open an action plan"), f"{reverse('plans:create')}?evaluation={evaluation.pk}")]
