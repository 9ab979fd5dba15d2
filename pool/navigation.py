"""The pool's links in the navigation (config.context_processors calls `links`), one function per area so
each area's pages are listed where that area is written. Each returns [(label, url name)]."""


def board_links(user) -> list:
    from django.utils.translation import gettext as _

    from pool import access

    found = []
    if access.shopper_of(user) is not None:
        found += [(_("Job board"), "pool:board"), (_("My profile"), "pool:profile")]
    if access.may_plan(user):
        found.append((_("Coverage"), "pool:coverage"))
    if access.may_run_pool(user):
        found.append((_("Programmes"), "pool:programmes"))
    return found


def qualification_links(user) -> list:
    from django.utils.translation import gettext as _

    from pool import access

    found = []
    if access.shopper_of(user) is not None:
        found.append((_("My qualifications"), "pool:qualifications"))
    if access.may_run_pool(user):
        found.append((_("Qualifications"), "pool:qualification-list"))
    if access.may_check_documents(user):
        found.append((_("Document checks"), "pool:document-checks"))
    return found


def rating_links(user) -> list:
    from django.utils.translation import gettext as _

    from pool import access

    found = []
    if access.may_plan(user):
        found.append((_("Shoppers"), "pool:shoppers"))
    if access.shopper_of(user) is not None:
        found.append((_("My rating"), "pool:my-rating"))
    return found


def conversation_links(user) -> list:
    """QA staff decide shoppers' appeals; shoppers reach their messages from their reports."""
    from django.utils.translation import gettext_lazy as _

    from pool.conversation import is_desk

    return [(_("Appeals"), "pool:appeals")] if is_desk(user) else []


def pay_links(user) -> list:
    # Shoppers reach their payments from "My pay"; whoever pays shoppers makes the batches.
    from pool import access
    from django.utils.translation import gettext as _
    return [(_("Payment batches"), "pool:pay-batches")] if access.may_pay(user) else []


def links(user) -> list:
    """Every pool link this user may follow, in the order of the areas."""
    found = []
    for area in (board_links, qualification_links, rating_links, conversation_links, pay_links):
        found.extend(area(user))
    return found
