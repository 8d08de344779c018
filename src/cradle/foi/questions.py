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

DEFAULT_LETTER = """Dear {{ body.name }},

I am writing to make a request for information under the {{ regime_name }}.

Please provide the following information about child and adolescent mental health services \
(CAMHS) {% if body.kind == "commissioner" %}commissioned for your area{% else %}provided by your \
organisation{% endif %}, for {{ question_set.period }}:

{% for question in question_set.questions %}{{ forloop.counter }}. {{ question.text }}
{% endfor %}
If you do not hold this information but know who does, please tell me which organisation, or \
transfer this request to them.

I would like to receive the information by email, in a spreadsheet if possible. Under the Act \
you should respond within 20 working days.

Yours faithfully,

{{ campaign.signatory }}
{{ campaign.reply_to }}
"""
