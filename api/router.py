"""The API's router: every endpoint under /api/v1/ is registered here, and the access matrix test walks it.

Extension point for apps below api (plans, coaching), which cannot import this module: give your app an
`api.py` module with `def register(router): router.register("action-plans", ActionPlanViewSet, "action-plan")`
(viewsets built on rest_framework alone; name permissions through qa.roles and reach through qa.scoping, and
set `required = {action: permission}` for api.permissions.TokenAccess), then add the module's name to
EXTENSIONS below. Its endpoints then get tokens, rate limits, problem+json errors, the schema and the
access matrix like every other. Note that import-linter's layers forbid plans and coaching from importing
api (even rest_framework viewsets built there would need api.endpoints.base): their endpoints are therefore
registered below from api.endpoints.plans and api.endpoints.coaching, which import plans and coaching."""

from importlib import import_module

from rest_framework.routers import DefaultRouter

from api.endpoints.assignments import AssignmentViewSet
from api.endpoints.coaching import CoachingSessionViewSet
from api.endpoints.evaluations import EvaluationViewSet, ScorecardViewSet
from api.endpoints.interactions import InteractionViewSet
from api.endpoints.people import EmployeeViewSet, LocationViewSet, ShopperViewSet
from api.endpoints.plans import ActionPlanViewSet
from api.endpoints.reports import ExportViewSet

EXTENSIONS: list[str] = []  # e.g. "plans.api", "coaching.api"


class Router(DefaultRouter):
    include_root_view = False


router = Router()
router.register("interactions", InteractionViewSet, basename="interaction")
router.register("employees", EmployeeViewSet, basename="employee")
router.register("locations", LocationViewSet, basename="location")
router.register("shoppers", ShopperViewSet, basename="shopper")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("scorecards", ScorecardViewSet, basename="scorecard")
router.register("exports", ExportViewSet, basename="export")
router.register("assignments", AssignmentViewSet, basename="assignment")
# plans and coaching sit below api (.importlinter), so their endpoints live in api.endpoints, not in EXTENSIONS.
router.register("action-plans", ActionPlanViewSet, basename="action-plan")
router.register("coaching-sessions", CoachingSessionViewSet, basename="coaching-session")
for name in EXTENSIONS:
    import_module(name).register(router)
