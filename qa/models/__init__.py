"""The qa app's models, one module per concept, all re-exported here so that
`from qa.models import Evaluation` and the migrations' `qa.models.*` paths keep working.

- people: User, RoleChange
- evaluations: Evaluation, SectionScore, Answer, PinnedComment
- visits: VisitReport, ReportSubmission, ReportDraft, Evidence, AnswerCorrection
- interactions: Interaction, Recording
- calibration: CalibrationSession
- sampling: SamplingRule, SampleDraw, ReviewTask
- disputes: Dispute, DisputeItem
- jobs: InteractionImport
- periodic: PeriodicTick (the one live chain of qa.tasks.periodic_tick)
- files: the private storage every upload goes to
- rollups: EvaluationRollup, ItemRollup, LocationItemRollup (sums of counted evaluations that reports read)
"""

from qa.models.files import PRIVATE_STORAGE, PrivateStorage, private_storage
from qa.models.people import TIME_ZONE_CHOICES, RoleChange, User
from qa.models.evaluations import (
    PEOPLE_SOURCES, SECTION_SLOTS, Answer, Evaluation, EvaluationQuerySet, PinnedComment, SectionScore, section_slot,
)
from qa.models.visits import AnswerCorrection, Evidence, ReportDraft, ReportSubmission, VisitReport, evidence_path
from qa.models.interactions import Interaction, Recording, recording_path
from qa.models.disputes import Dispute, DisputeItem
from qa.models.sampling import ReviewTask, SampleDraw, SamplingRule
from qa.models.calibration import CalibrationSession
from qa.models.jobs import InteractionImport, import_path
from qa.models.periodic import PeriodicTick
from qa.models.rollups import EvaluationRollup, ItemRollup, LocationItemRollup

__all__ = [
    "PRIVATE_STORAGE", "PrivateStorage", "private_storage",
    "TIME_ZONE_CHOICES", "RoleChange", "User",
    "PEOPLE_SOURCES", "SECTION_SLOTS", "Answer", "Evaluation", "EvaluationQuerySet", "PinnedComment", "SectionScore", "section_slot",
    "AnswerCorrection", "Evidence", "ReportDraft", "ReportSubmission", "VisitReport", "evidence_path",
    "Interaction", "Recording", "recording_path",
    "Dispute", "DisputeItem",
    "ReviewTask", "SampleDraw", "SamplingRule",
    "CalibrationSession",
    "InteractionImport", "import_path", "PeriodicTick",
    "EvaluationRollup", "ItemRollup", "LocationItemRollup",
]
