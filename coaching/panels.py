"""What coaching adds to qa's evaluation page (qa.extensions.evaluation_panels)."""

from coaching import access, selfassessment
from qa.models import Evaluation


def coaching_panel(request, evaluation):
    """The "Coach" action for those who coach (on a released evaluation of an employee), and the sessions
    held from this evaluation that the viewer may see."""
    user = request.user
    can_coach = (access.may_coach(user) and evaluation.employee_id is not None
                 and evaluation.status == Evaluation.Status.RELEASED and not evaluation.is_calibration)
    sessions = list(access.sessions_for(user).filter(evaluations=evaluation).order_by("-scheduled_at")[:10])
    if not can_coach and not sessions:
        return None
    return {"template": "coaching/_evaluation_panel.html",
            "context": {"can_coach": can_coach, "sessions": sessions, "evaluation": evaluation}}


def self_assessment_panel(request, evaluation):
    """After release, the employee's own assessment beside the reviewer's, item by item."""
    own = selfassessment.pair_of(evaluation)
    if own is None:
        return None
    rows = selfassessment.side_by_side(evaluation, own)
    gaps = [r["gap"] for r in rows if r["gap"] is not None]
    return {"template": "coaching/_self_side_by_side.html",
            "context": {"own": own, "rows": rows, "evaluation": evaluation, "mine": own.evaluator_id == request.user.pk,
                        "mean_gap": sum(gaps) / len(gaps) if gaps else None, "pairs": len(gaps)}}
