"""The question sets a campaign can ask (plain data).

`camhs-2019` is the question set behind Rare Jewels' FOI findings: whether CAMHS accepts
referrals for babies in three age bands, and how many were referred and accessed the service
in the year, with 0-18 totals for comparison. Field keys are the response CSV's column names.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    answer: str  # "yes_no" or "count"


@dataclass(frozen=True)
class QuestionSet:
    key: str
    name: str
    period: str
    questions: tuple[Question, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(q.key for q in self.questions)


_BANDS = (("0_12m", "aged 0 to 12 months"), ("12_24m", "aged 12 to 24 months"),
          ("24_36m", "aged 24 to 36 months"))

CAMHS_2019 = QuestionSet(
    key="camhs-2019",
    name="CAMHS referrals for children aged 2 and under (Rare Jewels, 2019)",
    period="the financial year 2018/19 (1 April 2018 to 31 March 2019)",
    questions=(
        *(Question(f"accepts_{band}", f"Does your CAMHS accept referrals for children {label}?",
                   "yes_no") for band, label in _BANDS),
        *(Question(f"referred_{band}", f"How many children {label} were referred to CAMHS "
                   "in the period?", "count") for band, label in _BANDS),
        Question("referred_0_18", "How many children and young people aged 0 to 18 were "
                 "referred to CAMHS in the period?", "count"),
        *(Question(f"accessed_{band}", f"How many children {label} accessed CAMHS (had at "
                   "least one appointment) in the period?", "count") for band, label in _BANDS),
        Question("accessed_0_18", "How many children and young people aged 0 to 18 accessed "
                 "CAMHS in the period?", "count"),
    ),
)

QUESTION_SETS = {CAMHS_2019.key: CAMHS_2019}

# The standard letter, in the placeholder language of letters.py (see PLACEHOLDERS there).
DEFAULT_LETTER = """Dear [body_name],

Our reference: [request_reference]

I am writing to make a request for information under the [act].

Please provide the following information about child and adolescent mental health services \
(CAMHS) [service_scope], for [period]:

[questions]

If you do not hold this information but know who does, please tell me which organisation, or \
transfer this request to them.

I would like to receive the information by email, in a spreadsheet if possible. Under the Act \
you should respond within 20 working days, that is by [due_date].

Yours faithfully,

[sender]
[reply_to]
"""
