"""Models of 合理用药知识库 (drug knowledge base, RX-05)."""

from yigongti.centers.prescription_review.knowledge.models.base import DrugFact, Fact, KnowledgeVersion, fact_models
from yigongti.centers.prescription_review.knowledge.models.dictionaries import (
    CheckType,
    DiseaseGroup,
    DrugAttribute,
    Frequency,
    IonLimit,
    LabItem,
    Route,
    Unit,
)
from yigongti.centers.prescription_review.knowledge.models.drugs import (
    ConcentrationLimit,
    Contraindication,
    DoseLimit,
    Drug,
    Indication,
    IonContent,
    LabRule,
    OrganRule,
    PopulationRule,
)
from yigongti.centers.prescription_review.knowledge.models.pairs import (
    AllergyClass,
    CrossReactivity,
    Incompatibility,
    Interaction,
    PharmClass,
)

__all__ = [
    "AllergyClass",
    "CheckType",
    "ConcentrationLimit",
    "Contraindication",
    "CrossReactivity",
    "DiseaseGroup",
    "DoseLimit",
    "Drug",
    "DrugAttribute",
    "DrugFact",
    "Fact",
    "Frequency",
    "Incompatibility",
    "Indication",
    "Interaction",
    "IonContent",
    "IonLimit",
    "KnowledgeVersion",
    "LabItem",
    "LabRule",
    "OrganRule",
    "PharmClass",
    "PopulationRule",
    "Route",
    "Unit",
    "fact_models",
]
