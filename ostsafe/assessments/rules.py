"""The suggested risk level: transparent, so every contributing answer is listed beside it.

Each question carries its own rules (`Question.risk_rules`): an answer may add weight, with the reason shown to the
practitioner, or force a high level. The thresholds are documented in docs/rules.md. The suggestion never decides:
the practitioner's level does, with a rationale when the two differ (guide: professional judgement; "work with
evidence, not optimism").
"""

from dataclasses import asdict, dataclass

from .models import RiskLevel

MEDIUM_FROM = 3
HIGH_FROM = 6


@dataclass(frozen=True)
class Reason:
    question: str
    answer: str
    weight: int
    reason: str
    forces_high: bool = False


def suggest_level(questions, answers: dict[str, str]) -> tuple[str, list[dict]]:
    """(level, reasons) from the answers given, keyed by question key."""
    reasons = []
    for question in questions:
        value = answers.get(question.key, "")
        rule = question.risk_rules.get(value) if value else None
        if not rule:
            continue
        labels = dict(question.choice_pairs())
        reasons.append(
            Reason(
                question=question.text,
                answer=labels.get(value, value),
                weight=int(rule.get("weight", 0)),
                reason=rule["reason"],
                forces_high=bool(rule.get("forces_high", False)),
            )
        )
    score = sum(r.weight for r in reasons)
    if any(r.forces_high for r in reasons) or score >= HIGH_FROM:
        level = RiskLevel.HIGH
    elif score >= MEDIUM_FROM:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
    return level, [asdict(r) for r in reasons]


def domain_weights(questions, answers: dict[str, str]) -> dict[str, int]:
    """The risk weight the answers carry in each domain (section) of the assessment, for the warning-signs engine's
    "no change across a number of domains" (a domain whose weight never falls)."""
    weights: dict[str, int] = {}
    for question in questions:
        value = answers.get(question.key, "")
        rule = question.risk_rules.get(value) if value else None
        weights[question.section] = weights.get(question.section, 0) + (int(rule.get("weight", 0)) if rule else 0)
    return weights
