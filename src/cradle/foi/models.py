import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cradle.geography.models import Area, Nation

from .deadlines import Regime
from .letters import DJANGO_SYNTAX, check, long_date
from .models_review import ReviewedAnswer, ReviewedQuerySet
from .question_data import QuestionDataError, TypedQuestion, preset_data, validate
from .questions import QUESTION_SETS

#: The preset whose campaigns keep the 2019 analysis, answer form and responses CSV.
PRESET_2019 = "camhs-2019"


class BodyKind(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner (CCG, ICB or health board)"
    PROVIDER = "provider", "Provider (for example a mental health trust)"


class BodyType(models.TextChoices):
    """Finer than BodyKind, so a campaign can target, say, every ICB or every trust."""

    CCG = "ccg", "Clinical commissioning group (2019)"
    ICB = "icb", "Integrated care board"
    SUB_ICB_LOCATION = "sub_icb_location", "Sub-ICB location"
    NHS_TRUST = "nhs_trust", "NHS trust"
    LOCAL_HEALTH_BOARD = "local_health_board", "Local health board (Wales)"
    HEALTH_BOARD = "health_board", "NHS health board (Scotland)"
    HSC_TRUST = "hsc_trust", "Health and social care trust (Northern Ireland)"


class CodeSystem(models.TextChoices):
    """What a body's code is: most are ODS codes; the sources give none for Scottish health
    boards (their GSS code stands in) or Northern Ireland's HSC trusts (the Department of
    Health's abbreviation stands in)."""

    ODS = "ods", "ODS code"
    GSS = "gss", "GSS code (no ODS code in Cradle's sources)"
    DOH_NI = "doh_ni", "Department of Health (NI) abbreviation (no ODS code exists)"


RegimeChoice = models.TextChoices("RegimeChoice", [
    ("FOIA", (Regime.FOIA.value, "Freedom of Information Act 2000")),
    ("FOISA", (Regime.FOISA.value, "Freedom of Information (Scotland) Act 2002")),
])


def regime_for_nation(nation: str) -> str:
    return Regime.FOISA.value if nation == "Scotland" else Regime.FOIA.value


class BodyQuerySet(models.QuerySet):
    def of_type(self, *body_types: str):
        return self.filter(body_type__in=body_types)

    def in_force_on(self, day: datetime.date):
        return self.filter(Q(in_force_from__isnull=True) | Q(in_force_from__lte=day),
                           Q(in_force_to__isnull=True) | Q(in_force_to__gte=day))

    def todays(self):
        """Bodies loaded from today's sources (not the 2019 CCGs or hand-imported providers)."""
        return self.exclude(body_type__in=("", BodyType.CCG))

    def recorded_camhs_providers(self):
        """Bodies whose newest CAMHS record says they provide CAMHS."""
        newest = (CamhsProvision.objects.filter(body=models.OuterRef("pk"))
                  .order_by("-recorded_at", "-id").values("provides_camhs")[:1])
        return self.annotate(newest_camhs=models.Subquery(newest)).filter(newest_camhs=True)


class Body(models.Model):
    """A public authority Cradle can ask: a commissioner or a provider."""

    kind = models.CharField(max_length=20, choices=BodyKind.choices)
    # Not unique on its own: a sub-ICB location keeps the code of the CCG it was (00L).
    ods_code = models.CharField("ODS code", max_length=10)
    name = models.CharField(max_length=200)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    email = models.EmailField(
        "FOI email address", blank=True, default="",
        help_text="Where FOI requests to the body are emailed.")
    areas = models.ManyToManyField(Area, related_name="foi_bodies", blank=True,
                                   help_text="The health areas the body commissions or serves.")
    # Added for today's bodies (ADR 0028); blank on the 2019 CCGs' rows until the migration
    # marks them, and on providers imported by hand.
    body_type = models.CharField(max_length=20, choices=BodyType.choices, blank=True,
                                 default="")
    code_system = models.CharField(max_length=10, choices=CodeSystem.choices,
                                   default=CodeSystem.ODS)
    in_force_from = models.DateField(null=True, blank=True)
    in_force_to = models.DateField(null=True, blank=True,
                                   help_text="Empty while not known to have ended.")
    postal_address = models.TextField(blank=True, default="")
    source = models.CharField(max_length=200, blank=True, default="",
                              help_text="The file the body was loaded from.")
    email_source = models.CharField("source of the FOI address", max_length=500, blank=True,
                                    default="")
    email_checked_on = models.DateField("FOI address checked on", null=True, blank=True)
    wdtk_url_name = models.SlugField(
        "WhatDoTheyKnow name", max_length=200, blank=True, default="",
        help_text="The body's name in WhatDoTheyKnow's addresses (CC BY-SA 4.0 data).")

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(fields=["body_type", "ods_code"],
                                    name="body_unique_code_per_type"),
            models.CheckConstraint(
                condition=Q(in_force_from__isnull=True) | Q(in_force_to__isnull=True)
                | Q(in_force_to__gte=models.F("in_force_from")),
                name="body_in_force_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    @property
    def regime(self) -> str:
        return regime_for_nation(self.nation)

    @property
    def respondent_type(self) -> str:
        return "ccg" if self.kind == BodyKind.COMMISSIONER else "trust"

    @property
    def areas_record(self):
        """The newest TrustAreasRecord, or None while the areas are the load's default."""
        return self.area_records.first()

    @property
    def wdtk_body_url(self) -> str:
        return f"{WDTK}/body/{self.wdtk_url_name}" if self.wdtk_url_name else ""

    @property
    def wdtk_new_request_url(self) -> str:
        return f"{WDTK}/new/{self.wdtk_url_name}" if self.wdtk_url_name else ""


WDTK = "https://www.whatdotheyknow.com"


class CamhsProvision(models.Model):
    """Whether a body provides child and adolescent mental health services, as someone said
    on a date. No dataset says so; append-only, so a change is a new record and the history
    stays: the newest record is the one in force."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="camhs_records")
    provides_camhs = models.BooleanField()
    source_text = models.TextField(help_text="Who said so, and where.")
    source_url = models.URLField(max_length=500, blank=True, default="")
    stated_on = models.DateField(help_text="When the source said so.")
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]


class TrustAreasRecord(models.Model):
    """The areas a trust serves, as a coordinator recorded them, with who said so. Append-only:
    the newest record is in force and is copied to ``Body.areas``; a trust with none keeps the
    default of the load (its ICB of April 2026)."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="area_records")
    areas = models.ManyToManyField(Area, related_name="+",
                                   help_text="Today's ICBs and sub-ICB locations it serves.")
    source_text = models.TextField(help_text="Who said so, and where.")
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]


def may_manage_foi(user) -> bool:
    from cradle.accounts.permissions import Permission

    return bool(user and user.is_authenticated and user.has_cradle_permission(
        Permission.FOI_MANAGE))


def validate_letter_template(text: str) -> None:
    """Refuse a letter template with unknown placeholders or template code (letters.check);
    a model field validator, so the admin and `full_clean` refuse it as the form does."""
    problems = check(text)
    if problems:
        raise ValidationError([ValidationError(problem, code="letter_template")
                               for problem in problems])


def validate_question_data(data) -> None:
    """Refuse question data that question_data.validate refuses, naming each problem."""
    try:
        validate(data)
    except QuestionDataError as error:
        raise ValidationError([ValidationError(problem, code="question_data")
                               for problem in error.problems]) from None


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if may_manage_foi(user) else self.none()


class Campaign(models.Model):
    name = models.CharField(max_length=200, unique=True)
    # The preset the questions are, unchanged; "" once a coordinator has built or edited them.
    question_set = models.CharField(max_length=40, blank=True, default="", choices=[
        ("", "Questions built for this campaign"),
        *((key, qs.name) for key, qs in QUESTION_SETS.items())])
    question_data = models.JSONField(
        default=dict, validators=[validate_question_data],
        help_text="The campaign's typed questions, a versioned list (cradle/foi/question_data"
                  ".py); frozen once the first request is sent.")
    period_label = models.CharField(max_length=40, blank=True, default="",
                                    help_text="The period asked about, for example 2025/26.")
    period_starts_on = models.DateField(null=True, blank=True)
    period_ends_on = models.DateField(null=True, blank=True)
    letter_template = models.TextField(
        validators=[validate_letter_template],
        help_text="Plain text with placeholders in square brackets, such as [body_name]; "
                  "see cradle/foi/letters.py for the list. Template code is refused.")
    signatory = models.CharField(max_length=200)
    reply_to = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Template code can never be stored, however the row is written.
            models.CheckConstraint(
                condition=~Q(letter_template__contains=DJANGO_SYNTAX[0])
                & ~Q(letter_template__contains=DJANGO_SYNTAX[1])
                & ~Q(letter_template__contains=DJANGO_SYNTAX[2]),
                name="campaign_letter_has_no_template_code",
                violation_error_message="The letter contains template code"),
            models.CheckConstraint(
                condition=Q(period_starts_on__isnull=True) | Q(period_ends_on__isnull=True)
                | Q(period_starts_on__lte=models.F("period_ends_on")),
                name="campaign_period_in_order",
                violation_error_message="The period must end on or after the day it starts"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def questions(self):
        """The preset (questions.QuestionSet) the questions are, or None if built here."""
        return QUESTION_SETS.get(self.question_set)

    @property
    def uses_2019_analysis(self) -> bool:
        return self.question_set == PRESET_2019

    @property
    def typed_questions(self) -> list[TypedQuestion]:
        # A row written around create_campaign may name a preset and hold no data yet.
        if not self.question_data and self.questions:
            return validate(preset_data(self.questions))
        return validate(self.question_data)

    @property
    def subject_name(self) -> str:
        """What the letters are about, for email subjects: the preset's name or the campaign's."""
        return self.questions.name if self.questions else self.name

    @property
    def period_text(self) -> str:
        """The period in words, for letters. A 1 April to 31 March period is a financial year,
        so the 2019 preset's letters read exactly as they always have."""
        if not (self.period_starts_on and self.period_ends_on):
            if not self.period_label and self.questions:
                return self.questions.period
            return self.period_label
        start, end = self.period_starts_on, self.period_ends_on
        financial = ((start.month, start.day, end.month, end.day) == (4, 1, 3, 31)
                     and end.year == start.year + 1)
        label = f"the financial year {self.period_label}" if financial else self.period_label
        return f"{label} ({long_date(start)} to {long_date(end)})".strip()

    @property
    def questions_frozen(self) -> bool:
        """Questions and period are fixed once any request has been sent."""
        return self.requests.filter(sent_on__isnull=False).exists()


class RequestState(models.TextChoices):
    """What is known about a request; lateness is computed, never stored."""

    NOT_SENT = "not_sent", "Not sent yet"
    AWAITING_RESPONSE = "awaiting_response", "Awaiting response"
    CLARIFICATION_REQUESTED = "clarification_requested", "Clarification requested"
    REDIRECTED = "redirected", "Redirected to another body"
    PARTIALLY_ANSWERED = "partially_answered", "Partially answered"
    ANSWERED = "answered", "Answered"
    REFUSED = "refused", "Refused with an exemption"
    INTERNAL_REVIEW = "internal_review", "Internal review"
    WITHDRAWN = "withdrawn", "Withdrawn"


# States in which the authority owes a response, so the statutory clock is running.
CLOCK_RUNNING = (RequestState.AWAITING_RESPONSE,)


class FoiRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if may_manage_foi(user) else self.none()

    def for_campaign(self, campaign):
        return self.filter(campaign=campaign)

    def awaiting(self):
        return self.filter(state__in=CLOCK_RUNNING)

    def due_between(self, start: datetime.date, end: datetime.date):
        return self.awaiting().filter(due_on__gte=start, due_on__lte=end)

    def overdue(self, today: datetime.date):
        return self.awaiting().filter(due_on__lt=today)

    def long_overdue(self, today: datetime.date):
        return self.awaiting().filter(long_overdue_on__lt=today)


class FoiRequest(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requests")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="requests")
    regime = models.CharField(max_length=10, choices=RegimeChoice.choices)
    state = models.CharField(max_length=30, choices=RequestState.choices,
                             default=RequestState.NOT_SENT)
    letter = models.TextField()
    sent_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True,
                                   help_text="When the clock (re)started: receipt or clarification.")
    due_on = models.DateField(null=True, blank=True)
    long_overdue_on = models.DateField(null=True, blank=True)
    redirected_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="redirects")
    exemption = models.CharField(max_length=200, blank=True, default="")
    reply_text = models.TextField(blank=True, default="", help_text="The reply, as received.")

    objects = FoiRequestQuerySet.as_manager()

    class Meta:
        ordering = ["body__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "body"], name="one_request_per_body"),
            models.CheckConstraint(condition=Q(state__in=RequestState.values),
                                   name="request_state_known"),
            models.CheckConstraint(
                condition=Q(state=RequestState.NOT_SENT) | Q(sent_on__isnull=False),
                name="request_sent_has_date"),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(due_on__isnull=False,
                                                          long_overdue_on__isnull=False),
                name="request_received_has_due_dates"),
            models.CheckConstraint(condition=~Q(state=RequestState.REFUSED) | ~Q(exemption=""),
                                   name="request_refusal_names_exemption"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.body.name}"

    def display_status(self, today: datetime.date) -> str:
        """The stored state, or "Overdue" / "Long overdue" while a response is owed."""
        if self.state in CLOCK_RUNNING and self.due_on:
            if self.long_overdue_on and today > self.long_overdue_on:
                return "Long overdue"
            if today > self.due_on:
                return "Overdue"
        return self.get_state_display()


class RequestEvent(models.Model):
    """Append-only history of a request: what happened, when, and who recorded it."""

    request = models.ForeignKey(FoiRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    on = models.DateField()
    note = models.TextField(blank=True, default="")
    recorded_by = models.CharField(max_length=200, blank=True, default="")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]


class ResponseRecordQuerySet(ReviewedQuerySet):
    pass


class ResponseRecord(ReviewedAnswer):
    """One structured answer: what a respondent said about one 2019 CCG area."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    request = models.ForeignKey(FoiRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="responses")
    respondent_code = models.CharField(max_length=10)
    respondent_type = models.CharField(max_length=5, choices=[("ccg", "CCG"), ("trust", "Trust")])
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="foi_responses")
    received_on = models.DateField()
    accepts_0_12m = models.BooleanField(null=True)
    accepts_12_24m = models.BooleanField(null=True)
    accepts_24_36m = models.BooleanField(null=True)
    referred_0_12m = models.PositiveIntegerField(null=True)
    referred_12_24m = models.PositiveIntegerField(null=True)
    referred_24_36m = models.PositiveIntegerField(null=True)
    referred_0_18 = models.PositiveIntegerField(null=True)
    accessed_0_12m = models.PositiveIntegerField(null=True)
    accessed_12_24m = models.PositiveIntegerField(null=True)
    accessed_24_36m = models.PositiveIntegerField(null=True)
    accessed_0_18 = models.PositiveIntegerField(null=True)
    comment = models.TextField(blank=True, default="")

    objects = ResponseRecordQuerySet.as_manager()

    class Meta(ReviewedAnswer.Meta):
        ordering = ["area__ods_code", "received_on", "id"]


class StructuredAnswerQuerySet(ReviewedQuerySet):
    def latest_per_request(self):
        """Each request's latest answer (by date received, then by when it was recorded)."""
        latest = {}
        for answer in self.order_by("received_on", "id"):
            latest[answer.request_id] = answer
        return list(latest.values())


class StructuredAnswer(ReviewedAnswer):
    """One body's answers to a campaign's own questions (question_data), as cells by answer
    field; the 2019 preset keeps ResponseRecord."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="structured_answers")
    request = models.ForeignKey(FoiRequest, on_delete=models.CASCADE,
                                related_name="structured_answers")
    received_on = models.DateField()
    answers = models.JSONField(default=dict)
    comment = models.TextField(blank=True, default="")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = StructuredAnswerQuerySet.as_manager()

    class Meta(ReviewedAnswer.Meta):
        ordering = ["received_on", "id"]


# Replies by email and their attachments (ADR 0029), and internal reviews and complaints to
# the regulator (ADR 0032), in their own modules; imported here so Django registers them with
# the foi app.
from .models_lifecycle import (  # noqa: E402, F401
    Complaint,
    ComplaintOutcome,
    InternalReview,
    ReviewOutcome,
)
from .models_replies import Reply, ReplyAddress, ReplyArrival, ReplyAttachment  # noqa: E402, F401
