"""Every field of every model, declared identifying, pseudonymous or safe (plain data).

- identifying: identifies a person on its own, or is a secret (email, name, IP address, password);
- pseudonymous: about a person, but only through an id or a keyed pseudonym;
- safe: no personal data.

Exports and logs must not carry identifying values, and only pseudonymous ones where the role
allows. tests/unit/test_field_classes.py fails when any field of any model is missing here;
django-simple-history's Historical* models take their model's classes plus their own history
fields.
"""

IDENTIFYING = "identifying"
PSEUDONYMOUS = "pseudonymous"
SAFE = "safe"


def _all(cls: str, *names: str) -> dict[str, str]:
    return dict.fromkeys(names, cls)


# foi.models_review.ReviewedAnswer: who entered and checked an answer are people (usernames),
# and a note may name one.
REVIEW_SAFE = ("review_state", "checked_at")
REVIEW_IDENTIFYING = ("entered_by", "checked_by", "review_note", "confirmation_note")

HISTORY_FIELDS = {"history_id": SAFE, "history_date": SAFE, "history_change_reason": SAFE,
                  "history_type": SAFE, "history_user": PSEUDONYMOUS}

FIELD_CLASSES: dict[str, dict[str, str]] = {
    # Django and third-party apps
    "admin.LogEntry": _all(SAFE, "id", "action_time", "content_type", "object_id",
                           "action_flag") | {"user": PSEUDONYMOUS,
                                             "object_repr": IDENTIFYING,
                                             "change_message": IDENTIFYING},
    "auth.Permission": _all(SAFE, "id", "name", "content_type", "codename"),
    "auth.Group_permissions": _all(SAFE, "id", "group", "permission"),
    "auth.Group": _all(SAFE, "id", "name"),
    "contenttypes.ContentType": _all(SAFE, "id", "app_label", "model"),
    "sessions.Session": {"session_key": IDENTIFYING, "session_data": PSEUDONYMOUS,
                         "expire_date": SAFE},
    "otp_totp.TOTPDevice": _all(SAFE, "id", "name", "confirmed", "throttling_failure_timestamp",
                                "throttling_failure_count", "created_at", "last_used_at",
                                "step", "t0", "digits", "tolerance", "drift", "last_t")
    | {"user": PSEUDONYMOUS, "key": IDENTIFYING},
    "otp_static.StaticDevice": _all(SAFE, "id", "name", "confirmed",
                                    "throttling_failure_timestamp", "throttling_failure_count",
                                    "created_at", "last_used_at") | {"user": PSEUDONYMOUS},
    "otp_static.StaticToken": {"id": SAFE, "device": PSEUDONYMOUS, "token": IDENTIFYING},
    # accounts
    "accounts.User": _all(IDENTIFYING, "password", "email", "display_name")
    | _all(PSEUDONYMOUS, "id", "last_login", "date_joined")
    | _all(SAFE, "is_superuser", "is_staff", "is_active"),
    "accounts.User_groups": {"id": SAFE, "user": PSEUDONYMOUS, "group": SAFE},
    "accounts.User_user_permissions": {"id": SAFE, "user": PSEUDONYMOUS, "permission": SAFE},
    "accounts.TeamMembership": {"id": SAFE, "user": PSEUDONYMOUS, "service": SAFE, "role": SAFE},
    "accounts.NetworkRole": {"id": SAFE, "user": PSEUDONYMOUS, "role": SAFE},
    # The second factor: the app key is encrypted and the codes are keyed hashes, but both are
    # still secrets (identifying), as a password hash is.
    "accounts.AuthenticatorApp": _all(SAFE, "id", "name", "confirmed",
                                      "throttling_failure_timestamp",
                                      "throttling_failure_count", "created_at", "last_used_at",
                                      "step", "t0", "digits", "tolerance", "drift", "last_t")
    | {"user": PSEUDONYMOUS, "encrypted_key": IDENTIFYING},
    "accounts.RecoveryCodes": _all(SAFE, "id", "name", "confirmed",
                                   "throttling_failure_timestamp", "throttling_failure_count")
    | {"user": PSEUDONYMOUS},
    "accounts.RecoveryCode": {"id": SAFE, "device": PSEUDONYMOUS, "code_hash": IDENTIFYING},
    "accounts.SignInFailures": {"id": SAFE, "key": PSEUDONYMOUS, "failures": SAFE,
                                "last_failure_at": SAFE},
    "accounts.CommissionerArea": {"id": SAFE, "user": PSEUDONYMOUS, "area": SAFE},
    "accounts.Invitation_areas": _all(SAFE, "id", "invitation", "area"),
    "accounts.Invitation": _all(IDENTIFYING, "email", "token_hash")
    | _all(SAFE, "id", "role", "service", "created_at", "expires_at", "accepted_at")
    | {"invited_by": PSEUDONYMOUS},
    # audit: who did what, kept apart from what it describes
    "audit.AuditEntry": _all(IDENTIFYING, "actor", "ip_address")
    | _all(PSEUDONYMOUS, "actor_id")
    | _all(SAFE, "id", "sequence", "recorded_at", "action", "model_label", "object_id",
           "fields", "previous_hash", "entry_hash")
    # Fixed text, except a correction's reason (outcomes/reasons.py): pseudonymous.
    | {"note": PSEUDONYMOUS},
    "audit.ChainHead": _all(SAFE, "id", "sequence", "entry_hash", "keyed_from", "mac"),
    # reference data and the register: organisations and areas, no people
    "core.ImportLog": _all(SAFE, "id", "dataset", "source", "reference_date", "files",
                           "changes", "loaded_at"),
    # A random one-time token per form; the record it made is a case-level id.
    "core.FormSubmission": _all(SAFE, "id", "token", "kind", "created")
    | _all(PSEUDONYMOUS, "user", "object_id"),
    "geography.Area": _all(SAFE, "id", "scheme", "code", "ods_code", "name", "nation",
                           "parent", "note", "derived", "boundary"),
    "geography.Population": _all(SAFE, "id", "area", "year", "age", "count", "method"),
    "geography.ChildPopulation": _all(SAFE, "id", "area", "year", "count", "method"),
    "geography.LocalAuthorityOverlap": _all(SAFE, "id", "area", "local_authority", "share_0_2"),
    "geography.AreaSuccession": _all(SAFE, "id", "predecessor", "successor",
                                     "boundary_changed", "basis"),
    "directory.Service": _all(SAFE, "id", "register_ref", "name", "other_names", "kind",
                              "nation", "locality", "referral_pathway", "accepts_from",
                              "accepts_to_months", "website", "source_note", "updated_at",
                              "synthetic", "professional_referral", "self_referral",
                              "referral_checked_on", "ages_checked_on", "languages",
                              "languages_checked_on", "website_checked_on",
                              "contact_email_checked_on", "contact_phone_checked_on")
    # A service's contact details are an organisation's, but may name a person.
    | _all(IDENTIFYING, "contact_email", "contact_phone"),
    "directory.StatusChange": _all(SAFE, "id", "service", "status", "effective_from", "source"),
    "directory.ServiceCoverage": _all(SAFE, "id", "service", "area", "partial", "note"),
    "directory.ServiceStaffing": _all(SAFE, "id", "service", "profession", "wte"),
    "directory.ServiceIntervention": _all(SAFE, "id", "service", "intervention", "detail"),
    "directory.ServiceFunding": _all(SAFE, "id", "service", "source"),
    "directory.CriterionEvidence": _all(SAFE, "id", "service", "criterion", "answer",
                                        "evidence", "source", "recorded_on"),
    "directory.RegisterClaim": _all(SAFE, "id", "service", "dataset", "name_given", "locality",
                                    "host", "started", "claimed_status", "evidence_date_text",
                                    "evidence_precision", "evidence_from", "evidence_to",
                                    "strength", "source_urls", "local_authorities",
                                    "health_areas", "notes"),
    "directory.SourcedDetail": _all(SAFE, "id", "service", "field", "checked_text",
                                    "checked_on", "source", "source_url", "quote")
    # The value may be a service's email or phone, which may name a person (as on Service).
    | _all(IDENTIFYING, "value"),
    # open data: what a snapshot's files are (names, sizes, checksums); no people
    "opendata.Snapshot": _all(SAFE, "id", "on", "data_version", "register_version",
                              "created_at", "files"),
    "directory.TeamCountMilestone": _all(SAFE, "id", "on", "teams", "in_development",
                                         "publication", "publisher", "url", "note"),
    # FOI: public bodies' correspondence; a person's name may appear in letters and replies
    "foi.Body_areas": _all(SAFE, "id", "body", "area"),
    "foi.Body": _all(SAFE, "id", "kind", "ods_code", "name", "nation", "email", "body_type",
                     "code_system", "in_force_from", "in_force_to", "postal_address", "source",
                     "email_checked_on", "wdtk_url_name")
    # Where a coordinator found an address or a fact may name the person who gave it.
    | {"email_source": IDENTIFYING},
    "foi.CamhsProvision": _all(SAFE, "id", "body", "provides_camhs", "source_url", "stated_on",
                               "recorded_at")
    | _all(IDENTIFYING, "source_text", "recorded_by"),
    "foi.TrustAreasRecord": _all(SAFE, "id", "body", "recorded_at")
    | _all(IDENTIFYING, "source_text", "recorded_by"),
    "foi.TrustAreasRecord_areas": _all(SAFE, "id", "trustareasrecord", "area"),
    "foi.Campaign": _all(SAFE, "id", "name", "question_set", "letter_template", "created_at",
                         "question_data", "period_label", "period_starts_on", "period_ends_on")
    | _all(IDENTIFYING, "signatory", "reply_to"),
    "foi.FoiRequest": _all(SAFE, "id", "campaign", "body", "regime", "state", "sent_on",
                           "received_on", "due_on", "long_overdue_on", "redirected_from",
                           "exemption")
    | _all(IDENTIFYING, "letter", "reply_text"),
    "foi.StructuredAnswer": _all(SAFE, "id", "campaign", "request", "received_on", "answers",
                                 "recorded_at", *REVIEW_SAFE)
    | _all(IDENTIFYING, "comment", *REVIEW_IDENTIFYING),
    "foi.RequestEvent": _all(SAFE, "id", "request", "kind", "on", "note", "recorded_at")
    | {"recorded_by": IDENTIFYING},
    # Replies (ADR 0029): a reply's sender, text and files may name a person; the reply token
    # is a secret (whoever knows it can add mail to the request).
    "foi.ReplyAddress": _all(SAFE, "id", "request", "created_at") | {"token": IDENTIFYING},
    "foi.Reply": _all(SAFE, "id", "request", "suggested_request", "arrived_by", "received_at",
                      "sent_at", "html_converted", "message_id")
    | _all(IDENTIFYING, "from_address", "addressed_to", "subject", "text", "uploaded_by"),
    "foi.ReplyAttachment": _all(SAFE, "id", "reply", "content_type", "size", "refused_because",
                                "sha256")
    | _all(IDENTIFYING, "filename", "encrypted_content"),
    # Internal reviews and complaints (ADR 0032): the grounds, the body's reply and the notes
    # are free text that may name a person; so are the names of who recorded them.
    "foi.InternalReview": _all(SAFE, "id", "request", "asked_on", "received_on", "due_on",
                               "complex_due_on", "state_before", "outcome", "outcome_on",
                               "recorded_at")
    | _all(IDENTIFYING, "grounds", "asked_by", "reply_text", "outcome_recorded_by"),
    "foi.Complaint": _all(SAFE, "id", "request", "regulator", "internal_review", "made_on",
                          "acknowledged_on", "regulator_reference", "decision_notice_on",
                          "outcome", "recorded_at")
    | _all(IDENTIFYING, "notes", "recorded_by"),
    "foi.ResponseRecord": _all(SAFE, "id", "campaign", "request", "respondent_code",
                               "respondent_type", "area", "received_on", "accepts_0_12m",
                               "accepts_12_24m", "accepts_24_36m", "referred_0_12m",
                               "referred_12_24m", "referred_24_36m", "referred_0_18",
                               "accessed_0_12m", "accessed_12_24m", "accessed_24_36m",
                               "accessed_0_18", "comment", *REVIEW_SAFE)
    | _all(IDENTIFYING, *REVIEW_IDENTIFYING),
    # outcomes: case records, minimised by construction (no names, addresses or dates of birth).
    # Everything about a family is pseudonymous: it reaches a person only through the case id,
    # the team's reference or the keyed NHS-number pseudonym. Analysts see the pseudonymous
    # fields of every team; nothing here is identifying.
    "outcomes.Case": _all(PSEUDONYMOUS, "id", "team_reference", "nhs_number_pseudonym",
                          "baby_birth_month", "birth_month_is_due_month", "postcode_district")
    | _all(SAFE, "team", "created_at", "withdrawn_at"),
    "outcomes.Referral": _all(PSEUDONYMOUS, "case", "referred_on", "referrer_type",
                              "single_caregiver_household", "first_time_parent", "decision",
                              "decided_on", "withdrawn_at") | {"id": SAFE},
    "outcomes.Caregiver": _all(PSEUDONYMOUS, "referral", "relationship", "age_at_referral",
                               "ethnic_category") | {"id": SAFE},
    "outcomes.ReferralRiskFactor": _all(PSEUDONYMOUS, "referral", "factor") | {"id": SAFE},
    "outcomes.Episode": _all(PSEUDONYMOUS, "case", "referral", "started_on", "ended_on",
                             "discharge_reason", "withdrawn_at") | {"id": SAFE},
    "outcomes.EpisodeIntervention": _all(PSEUDONYMOUS, "episode", "intervention")
    | {"id": SAFE},
    "outcomes.Contact": _all(PSEUDONYMOUS, "episode", "on", "mode", "outcome", "minutes",
                             "caregivers_attended", "baby_attended", "delivered_by",
                             "withdrawn_at")
    | {"id": SAFE},
    "outcomes.MeasureAdministration": _all(PSEUDONYMOUS, "case", "episode", "instrument",
                                           "timepoint", "administered_on", "entered_as", "items",
                                           "total", "subscales", "band", "caseness", "flags",
                                           "complete", "withdrawn_at") | {"id": SAFE},
    # A flag's review: the note is free text. The form asks for no names, and the action refuses
    # an NHS number, a full postcode or a phone number in it, but free text can still hold what
    # it should not, so it is treated as identifying: shown to the team, never exported or logged.
    "outcomes.FlagReview": _all(PSEUDONYMOUS, "measure", "reviewed_by", "reviewed_at")
    | {"id": SAFE, "note": IDENTIFYING},
    "outcomes.Feedback": _all(PSEUDONYMOUS, "episode", "kind", "received_on", "answers",
                               "withdrawn_at")
    | {"id": SAFE},
    # a team's work with other professionals: no people, only counts and professions
    "outcomes.WorkforceActivity": _all(SAFE, "id", "team", "kind", "on", "topic",
                                       "audience_professions", "attendees", "withdrawn_at"),
    # The pooled summaries (ADR 0023): a team's records counted per month, before disclosure
    # control (a count of 1 is about one family), and each case's scores by its database id.
    "pooled.MonthlyFact": _all(SAFE, "id", "team", "month", "name", "key") | {"n": PSEUDONYMOUS},
    "pooled.YearlyFact": _all(SAFE, "id", "team", "year", "name", "key") | {"n": PSEUDONYMOUS},
    "pooled.CaseMeasurePair": _all(SAFE, "id", "team")
    | _all(PSEUDONYMOUS, "case", "month", "instrument", "baseline", "discharge",
           "baseline_caseness", "discharge_caseness"),
    "pooled.MonthlyChange": _all(SAFE, "id", "team", "month", "instrument")
    | _all(PSEUDONYMOUS, "with_baseline", "missing_discharge", "discharge_only", "pairs",
           "sum_before", "sum_after", "sum_change", "sum_change_sq", "improved",
           "deteriorated", "at_baseline", "significant"),
    "pooled.YearlyChange": _all(SAFE, "id", "team", "year", "instrument")
    | _all(PSEUDONYMOUS, "with_baseline", "missing_discharge", "discharge_only", "pairs",
           "sum_before", "sum_after", "sum_change", "sum_change_sq", "improved",
           "deteriorated", "at_baseline", "significant"),
    "pooled.SummaryLock": _all(SAFE, "team", "rebuilt_at"),
    # A correction's reason is free text about a family's record, typed under "do not write
    # names" and checked for identifiers (outcomes/reasons.py): pseudonymous, like the record.
    "outcomes.Correction": _all(SAFE, "id", "team", "record_label", "record_id", "action",
                                "fields", "by_role", "at")
    | _all(PSEUDONYMOUS, "case", "reason", "by"),
    # a bulk import waiting for (or past) its confirmation: the records wait in a file; the
    # token confirms them, like a session key
    "outcomes.StagedImport": _all(SAFE, "id", "team", "digest", "file_sha256", "state",
                                  "counts", "created_at", "imported_at")
    | {"user": PSEUDONYMOUS, "token": IDENTIFYING},
    # Surveys of professionals (ADR 0025): anonymous answers. Nothing about a respondent is
    # stored: a response has a date, the area chosen and its answers; the guard a keyed hash of
    # a random per-browser token, with no link to the response. Free text may hold anything,
    # so it is identifying: shown to coordinators only, never published, exported or logged.
    "surveys.Survey": _all(SAFE, "id", "name", "year", "question_set_key",
                           "question_set_version", "question_ids", "questions", "public_token",
                           "state", "results_published", "opened_on", "closed_on",
                           "created_at"),
    "surveys.SurveyResponse": _all(SAFE, "id", "survey", "submitted_on", "source", "area",
                                   "nation", "answers"),
    "surveys.FreeTextAnswer": _all(SAFE, "id", "response", "question_id")
    | {"text": IDENTIFYING},
    "surveys.SubmissionGuard": _all(SAFE, "token_hash", "survey"),
    # A coordinator's staged file: its rows may hold free text.
    "surveys.SurveyImport": _all(SAFE, "id", "survey", "file_sha256", "filename",
                                 "row_count", "state", "created_at", "imported_at")
    | {"user": PSEUDONYMOUS, "rows": IDENTIFYING, "token": IDENTIFYING},
    # Background jobs (ADR 0020). `params` holds tokens (an encrypted upload's, a staged
    # import's: like session keys); `result` lists an import's problems by row; the words
    # shown (summary, error, phase) are fixed text with counts and names of teams or areas.
    "jobs.Job": _all(SAFE, "id", "kind", "subject_type", "subject_id", "subject_label",
                     "state", "phase", "done", "total", "summary", "error", "task_result_id",
                     "attempts", "created_at", "started_at", "finished_at", "updated_at")
    | {"started_by": PSEUDONYMOUS, "params": IDENTIFYING, "result": PSEUDONYMOUS},
    "jobs.JobOutput": _all(SAFE, "id", "job", "filename", "content_type", "content",
                           "created_at"),
    # django-tasks-db's queue: arguments are a job's id; a traceback may quote anything.
    "django_tasks_database.DBTaskResult": _all(
        SAFE, "id", "status", "enqueued_at", "started_at", "finished_at", "args_kwargs",
        "priority", "task_path", "worker_ids", "queue_name", "backend_name", "run_after",
        "return_value", "exception_class_path") | {"traceback": IDENTIFYING},
    # Census of services (issue 17): about services, not people, except the addresses links
    # go to, answers' contact details (as on Service) and what the public form's sender wrote.
    "census.CensusRound": _all(SAFE, "id", "name", "reference_date", "opened_on", "closes_on",
                               "nation", "teams_only", "closed_at")
    | {"reply_to": IDENTIFYING, "created_by": PSEUDONYMOUS},
    "census.Invitation": _all(SAFE, "id", "round", "service", "version", "expires_on",
                              "sent_on", "sent_by_mail_merge", "reminded_on", "reminders",
                              "opened_at", "submitted_at", "revoked_at")
    | {"email": IDENTIFYING},
    "census.Answer": _all(SAFE, "id", "invitation", "round", "service", "state",
                          "respondent_role", "confirmed_sections", "saved_at", "submitted_at",
                          "imported_from", "reviewed_at")
    | _all(IDENTIFYING, "values", "register_before") | {"reviewed_by": PSEUDONYMOUS},
    # A file of answers: the bytes hold contact details, as answers' values do.
    "census.AnswerImport": _all(SAFE, "id", "round", "filename", "file_sha256", "state",
                                "answer_count", "staged_at", "imported_at")
    | {"uploaded_by": PSEUDONYMOUS, "data": IDENTIFYING},
    "census.Decision": _all(SAFE, "id", "answer", "field", "decision")
    | _all(IDENTIFYING, "before", "answered", "value"),
    "census.CensusFact": _all(SAFE, "id", "service", "field", "effective_on", "round", "answer",
                              "respondent_role", "edited", "accepted_at")
    | {"value": IDENTIFYING, "accepted_by": PSEUDONYMOUS},
    "census.Suggestion": _all(SAFE, "id", "name", "nation", "place", "postcode", "website",
                              "received_at", "state", "duplicate_of", "created_service",
                              "decided_at")
    | _all(IDENTIFYING, "description", "contact_email") | {"decided_by": PSEUDONYMOUS},
    # quality (ADR 0038): the standards are published text; a review's free text and file
    # names may name people, and its files are the team's own documents.
    "quality.StandardsSet": _all(SAFE, "id", "key", "name", "version", "published_on",
                                 "description", "based_on", "thresholds", "created_at"),
    "quality.Domain": _all(SAFE, "id", "standards_set", "position", "name", "description"),
    "quality.Standard": _all(SAFE, "id", "standards_set", "domain", "code", "position", "title",
                             "description", "standard_type", "evidence_asked", "auto_source",
                             "source"),
    "quality.Review": _all(SAFE, "id", "team", "standards_set", "route", "state", "started_at",
                           "submitted_at") | _all(PSEUDONYMOUS, "started_by", "submitted_by"),
    "quality.StandardRating": _all(SAFE, "id", "review", "standard", "rating", "rated_at")
    | _all(IDENTIFYING, "reason", "note") | {"rated_by": PSEUDONYMOUS},
    "quality.EvidenceFile": _all(SAFE, "id", "review", "standard", "content_type", "size",
                                 "sha256", "added_at")
    | _all(IDENTIFYING, "filename", "encrypted_content") | {"added_by": PSEUDONYMOUS},
    "quality.EvidenceLink": _all(SAFE, "id", "review", "standard", "path", "added_at")
    | _all(IDENTIFYING, "label") | {"added_by": PSEUDONYMOUS},
}


def field_class(model_label: str, field_name: str) -> str | None:
    app, _, model = model_label.partition(".")
    if model.startswith("Historical") and field_name in HISTORY_FIELDS:
        return HISTORY_FIELDS[field_name]
    if model.startswith("Historical"):
        model_label = f"{app}.{model.removeprefix('Historical')}"
    return FIELD_CLASSES.get(model_label, {}).get(field_name)
