"""Who sees which outcomes records: one `.visible_to(user)` per model.

- team members (practitioners, team managers) see their own teams' records: the teams where
  their role grants `case_view`;
- analysts (`pooled_data_view`) see every team's records, and callers must show them the
  pseudonymous fields only (never `team_reference`, see core/field_classes.py);
- everyone else, inactive and anonymous users included, sees none.

A record outside the user's scope is simply not in the queryset, so a view that looks it up
through `visible_to` answers 404, never 403.
"""

from django.db import models

from cradle.accounts.permissions import Permission


class TeamScopedQuerySet(models.QuerySet):
    #: The lookup path from the model to its team (a directory.Service).
    team_path = "team"
    #: The lookup path to the withdrawal that takes this record out of every figure.
    withdrawn_path = "withdrawn_at"

    def current(self):
        """The records not withdrawn: what every page, figure and import counts. Withdrawing
        a case or an episode withdraws what hangs off it too (corrections.py), so one field
        says it; rows without a withdrawal of their own follow their parent's."""
        return self.filter(**{f"{self.withdrawn_path}__isnull": True})

    def withdrawn(self):
        return self.filter(**{f"{self.withdrawn_path}__isnull": False})

    def visible_to(self, user):
        if not (user is not None and user.is_authenticated and user.is_active):
            return self.none()
        if user.has_cradle_permission(Permission.POOLED_DATA_VIEW):
            return self.all()
        teams = user.team_ids(Permission.CASE_VIEW)
        if not teams:
            return self.none()
        return self.filter(**{f"{self.team_path}__in": teams})

    def editable_by(self, user):
        """The records of the teams where the user's role grants `case_edit`."""
        if not (user is not None and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(**{f"{self.team_path}__in": user.team_ids(Permission.CASE_EDIT)})


class CaseQuerySet(TeamScopedQuerySet):
    team_path = "team"


class ReferralQuerySet(TeamScopedQuerySet):
    team_path = "case__team"


class CaregiverQuerySet(TeamScopedQuerySet):
    team_path = "referral__case__team"
    withdrawn_path = "referral__withdrawn_at"


class ReferralRiskFactorQuerySet(TeamScopedQuerySet):
    team_path = "referral__case__team"
    withdrawn_path = "referral__withdrawn_at"


class EpisodeQuerySet(TeamScopedQuerySet):
    team_path = "case__team"


class EpisodeInterventionQuerySet(TeamScopedQuerySet):
    team_path = "episode__case__team"
    withdrawn_path = "episode__withdrawn_at"


class ContactQuerySet(TeamScopedQuerySet):
    team_path = "episode__case__team"


class MeasureAdministrationQuerySet(TeamScopedQuerySet):
    team_path = "case__team"


class FeedbackQuerySet(TeamScopedQuerySet):
    team_path = "episode__case__team"


class WorkforceActivityQuerySet(TeamScopedQuerySet):
    team_path = "team"


class CorrectionQuerySet(TeamScopedQuerySet):
    team_path = "team"
    withdrawn_path = "case__withdrawn_at"
