"""The pool's models, one module per concept; re-exported so `from pool.models import X` works."""
from pool.models.board import Application, Invitation  # noqa: F401
from pool.models.conversation import Appeal, ReportMessage  # noqa: F401
from pool.models.pay import BatchPayment, BatchVisit, PaymentBatch  # noqa: F401
from pool.models.profiles import Conflict, ShopperProfile  # noqa: F401
from pool.models.programmes import Programme, ProgrammeScorecard  # noqa: F401
from pool.models.qualifications import Choice, Credential, Qualification, Question, Quiz, QuizAttempt  # noqa: F401
