"""Tasks whose work is a record: the rule that made the task closes it when the record is made (a home visit, a
storage check, an assessment, a plan review). Closing one by hand is allowed only with a reason, which the team
manager sees. The apps that own those rules register them here at start-up."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordRule:
    rule: str  # Task.rule
    closes_when: str  # "a home visit is recorded"
    url_name: str  # where the record is made, reversed with the household's id


_RULES: dict[str, RecordRule] = {}


def register_record_rule(rule: RecordRule) -> None:
    _RULES[rule.rule] = rule


def record_rule_for(task) -> RecordRule | None:
    return _RULES.get(task.rule)
