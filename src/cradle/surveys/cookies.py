"""The one cookie a survey's page sets (listed on the cookies page): a random token per
browser, for the repeated-submission guard; scoped to the survey's own link."""

SURVEY_GUARD_COOKIE = "cradle_survey"
SURVEY_GUARD_DAYS = 365
