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
from django.db.models import Exists, OuterRef

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
    """Cases, with the named reads of the cases list (cases_list.py): the team's cases, a search
    by reference, and the statuses the list filters by. Every list read starts from `current()`:
    the one place that says which cases are shown at all (withdrawn records, once they exist,
    are left out there, and each status below counts only current records too)."""

    team_path = "team"

    def for_team(self, team):
        return self.filter(team=team)

    def search(self, reference: str):
        """Cases whose team reference is, or starts with, the text given (any case)."""
        reference = (reference or "").strip()
        if not reference:
            return self
        return self.filter(team_reference__istartswith=reference)

    def with_open_episode(self):
        from .models import Episode

        return self.filter(Exists(Episode.objects.current().filter(case=OuterRef("pk"),
                                                                   ended_on__isnull=True)))

    def waiting(self):
        """Cases with an accepted referral and no episode started since it."""
        from .models import Episode, Referral

        later_episode = Episode.objects.current().filter(case=OuterRef("case"),
                                                         started_on__gte=OuterRef("referred_on"))
        accepted = Referral.objects.current().filter(case=OuterRef("pk"), decision="accepted").exclude(
            Exists(later_episode))
        return self.filter(Exists(accepted))

    def discharged(self):
        """Cases whose every episode has ended (and that have one)."""
        from .models import Episode

        episodes = Episode.objects.current()
        return self.filter(Exists(episodes.filter(case=OuterRef("pk")))).exclude(
            Exists(episodes.filter(case=OuterRef("pk"), ended_on__isnull=True)))

    def with_unreviewed_flags(self):
        from .models import MeasureAdministration

        return self.filter(Exists(MeasureAdministration.objects.current().filter(
            case=OuterRef("pk"), flag_review__isnull=True).exclude(flags=[])))

    def worked_with_by(self, user):
        """Cases where the user delivered a contact."""
        from .models import Contact

        return self.filter(Exists(Contact.objects.current().filter(episode__case=OuterRef("pk"),
                                                                   delivered_by=user)))


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


class FlagReviewQuerySet(TeamScopedQuerySet):
    team_path = "measure__case__team"


class FeedbackQuerySet(TeamScopedQuerySet):
    team_path = "episode__case__team"


class WorkforceActivityQuerySet(TeamScopedQuerySet):
    team_path = "team"


class CorrectionQuerySet(TeamScopedQuerySet):
    team_path = "team"
    withdrawn_path = "case__withdrawn_at"
