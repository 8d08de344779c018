"""The checks that need the database, and what an import would create.

Run twice: for the dry run's preview, and again inside the confirming transaction (the team's
cases may have changed in between), so the counts shown are the counts written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cradle.outcomes.models import Case

from .checks import CASE_COLUMNS, Checked
from .problems import Problem

CASE_FIELDS = ("nhs_number_pseudonym", "baby_birth_month", "birth_month_is_due_month",
               "postcode_district")
WHAT = {"nhs_number_pseudonym": "NHS number", "baby_birth_month": "month of birth",
        "birth_month_is_due_month": "due-month answer", "postcode_district": "postcode district"}
COLUMN = {field_name: column for column, field_name in CASE_COLUMNS.items()}


@dataclass
class Plan:
    checked: Checked
    existing: dict[str, int] = field(default_factory=dict)  # reference -> case pk
    new_cases: dict[str, dict] = field(default_factory=dict)  # reference -> case fields
    problems: list[Problem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        referrals = self.checked.referrals
        return {
            "cases": len(self.new_cases),
            "existing_cases": len({r.reference for r in referrals if r.reference in self.existing}
                                  | {m.reference for m in self.checked.measures
                                     if m.reference in self.existing}),
            "referrals": len(referrals),
            "caregivers": sum(len(r.caregivers) for r in referrals),
            "risk_factors": sum(len(r.risk_factors) for r in referrals),
            "measures": len(self.checked.measures),
        }


def _existing_cases(team) -> dict[str, dict]:
    rows = Case.objects.filter(team=team).values_list("pk", "team_reference", *CASE_FIELDS)
    return {row[1]: {"pk": row[0], **dict(zip(CASE_FIELDS, row[2:], strict=True))}
            for row in rows.iterator(chunk_size=5000)}


def plan_import(team, checked: Checked) -> Plan:
    """Which cases exist and which the import creates; every problem the database shows."""
    plan = Plan(checked, problems=list(checked.problems))
    existing = _existing_cases(team)
    plan.existing = {ref: case["pk"] for ref, case in existing.items()}
    owner_of = {case["nhs_number_pseudonym"]: ref for ref, case in existing.items()
                if case["nhs_number_pseudonym"]}
    for row in checked.referrals:
        case = existing.get(row.reference)
        if case is not None:
            for name, value in row.case_fields.items():
                if case[name] != value and not (name == "birth_month_is_due_month"
                                                and value is False and not case[name]):
                    plan.problems.append(Problem(
                        row.sheet, row.row, COLUMN[name], f"Cradle already has this case with "
                        f"a different {WHAT[name]}: leave the column blank, or correct the "
                        "case first"))
            continue
        fields = plan.new_cases.setdefault(row.reference, {})
        for name, value in row.case_fields.items():
            fields.setdefault(name, value)
        pseudonym = row.case_fields.get("nhs_number_pseudonym")
        if pseudonym and owner_of.get(pseudonym, row.reference) != row.reference:
            plan.problems.append(Problem(row.sheet, row.row, "nhs_number",
                                         "the team already has a case with this NHS number"))
    for row in checked.measures:
        if row.reference not in existing and row.reference not in plan.new_cases:
            plan.problems.append(Problem(
                row.sheet, row.row, "team_reference", "Cradle has no case with this team "
                "reference: add the family on the referrals sheet, or create the case first"))
    order = {}
    for problem in plan.problems:
        order.setdefault(problem.sheet, len(order))
    plan.problems.sort(key=lambda p: (order[p.sheet], p.row))
    return plan
