"""Who may do what in the pool, written once and called by every view, the navigation and the API.

Shoppers use the job board, their qualifications, messages and payments; planners (those who may add
assignments: QA leads, reviewers, administrators) plan and see ratings; QA leads and administrators run
programmes, quizzes, conflict lists and bars; administrators check documents; whoever may manage payments
makes payment batches."""

from qa import roles


def shopper_of(user):
    """The user's active shopper record, or None."""
    if not user.is_authenticated or not roles.has_role(user, roles.SHOPPER):
        return None
    shopper = getattr(user, "shopper", None)
    return shopper if shopper is not None and shopper.active else None


def may_plan(user) -> bool:
    return user.is_authenticated and user.has_perm(roles.ADD_ASSIGNMENT)


def may_run_pool(user) -> bool:
    """Programmes, quizzes, conflict lists, bars."""
    return user.is_authenticated and roles.has_role(user, roles.ADMINISTRATOR, roles.QA_LEAD)


def may_check_documents(user) -> bool:
    return user.is_authenticated and roles.has_role(user, roles.ADMINISTRATOR)


def may_pay(user) -> bool:
    return user.is_authenticated and user.has_perm(roles.MANAGE_PAYMENTS)
