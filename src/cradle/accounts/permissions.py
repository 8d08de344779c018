"""Who may do what: permissions as an explicit enumeration, roles as named sets of them.

Plain data, no Django imports, so the whole access model can be read (and tested) in one place.
"""

from dataclasses import dataclass
from enum import StrEnum


class Permission(StrEnum):
    CASE_VIEW = "case_view"              # a team's own case records
    CASE_EDIT = "case_edit"
    TEAM_MANAGE = "team_manage"          # a team's members and its register entry
    POOLED_DATA_VIEW = "pooled_data_view"  # pseudonymised records of every team
    AGGREGATE_VIEW = "aggregate_view"    # disclosure-controlled figures
    REGISTER_EDIT = "register_edit"      # the register of services (admin)
    FOI_MANAGE = "foi_manage"            # FOI campaigns, requests and responses
    USER_MANAGE = "user_manage"          # invitations, roles, deactivation
    AUDIT_VIEW = "audit_view"            # search and export the audit log
    QUALITY_REVIEW = "quality_review"    # a team's self-reviews against the standards
    STANDARDS_EDIT = "standards_edit"    # the quality standards sets and their thresholds


class Scope(StrEnum):
    TEAM = "team"        # only the teams the user belongs to
    AREAS = "areas"      # only the areas the user is named for
    NETWORK = "network"  # everything the permission covers


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    scope: Scope
    permissions: frozenset[Permission]
    # Anyone who can reach case-level data, or grant access to it, signs in with a second factor.
    needs_two_factor: bool
    description: str


ROLES: dict[str, Role] = {role.key: role for role in (
    Role("practitioner", "Practitioner", Scope.TEAM,
         frozenset({Permission.CASE_VIEW, Permission.CASE_EDIT}), True,
         "Records and reads their own team's cases."),
    Role("team_manager", "Team manager", Scope.TEAM,
         frozenset({Permission.CASE_VIEW, Permission.CASE_EDIT, Permission.TEAM_MANAGE,
                    Permission.AGGREGATE_VIEW, Permission.QUALITY_REVIEW}), True,
         "Everything a practitioner does, plus the team's members, its own figures and its "
         "self-reviews against the quality standards."),
    Role("analyst", "Network analyst", Scope.NETWORK,
         frozenset({Permission.POOLED_DATA_VIEW, Permission.AGGREGATE_VIEW}), True,
         "Pooled, pseudonymised data of all teams; never direct identifiers."),
    Role("coordinator", "Network coordinator", Scope.NETWORK,
         frozenset({Permission.REGISTER_EDIT, Permission.FOI_MANAGE, Permission.USER_MANAGE,
                    Permission.AUDIT_VIEW, Permission.AGGREGATE_VIEW, Permission.QUALITY_REVIEW,
                    Permission.STANDARDS_EDIT}), True,
         "The register, FOI campaigns, users, the audit log, the quality standards and "
         "every team's self-reviews (to read)."),
    Role("commissioner", "Commissioner", Scope.AREAS,
         frozenset({Permission.AGGREGATE_VIEW}), False,
         "Disclosure-controlled figures for the areas they are named for."),
)}
TEAM_ROLES = tuple(key for key, role in ROLES.items() if role.scope is Scope.TEAM)
NETWORK_ROLES = tuple(key for key, role in ROLES.items() if role.scope is Scope.NETWORK)


def permissions_of(role_keys) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for key in role_keys:
        granted |= ROLES[key].permissions
    return frozenset(granted)


def needs_two_factor(role_keys) -> bool:
    return any(ROLES[key].needs_two_factor for key in role_keys)
