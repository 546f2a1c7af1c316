"""Models of 处方点评与监管."""

from yigongti.centers.prescription_review.comment.models.judgments import (
    Appeal,
    CommentSample,
    ReasonTemplate,
    ReplyTemplate,
    SampleReason,
)
from yigongti.centers.prescription_review.comment.models.projects import (
    CommentProject,
    CommentTask,
    ConditionTemplate,
    PharmacistGroup,
    SamplingPolicy,
)
from yigongti.centers.prescription_review.comment.models.visits import (
    ExamReport,
    LabReport,
    LabResult,
    PrescriptionItem,
    Visit,
    VisitDiagnosis,
    VisitPrescription,
)

__all__ = [
    "Appeal",
    "CommentProject",
    "CommentSample",
    "CommentTask",
    "ConditionTemplate",
    "ExamReport",
    "LabReport",
    "LabResult",
    "PharmacistGroup",
    "PrescriptionItem",
    "ReasonTemplate",
    "ReplyTemplate",
    "SampleReason",
    "SamplingPolicy",
    "Visit",
    "VisitDiagnosis",
    "VisitPrescription",
]
