"""Letter templates move from Django's template language to the placeholders of letters.py.

Each stored template is converted mechanically (`convert`): the variables and the two blocks
the shipped letter used become placeholders. A template that still fails the placeholder check
afterwards (other variables, tags, filters, comments) is replaced by the standard letter,
never run, and each of its campaign's requests records that in its history. Letters not yet
sent are written again from the new template, so nothing an old template printed into them
(it could reach the database through its context) is left to be sent or exported.
"""

import datetime
import re

from django.db import migrations, models

import cradle.foi.models
from cradle.foi.deadlines import due_date
from cradle.foi.letters import check, fill, letter_values, request_reference
from cradle.foi.questions import DEFAULT_LETTER, QUESTION_SETS

# The standard letter as Cradle shipped it before this migration.
OLD_DEFAULT_LETTER = """Dear {{ body.name }},

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

VARIABLES = {
    "body.name": "body_name", "body.email": "body_address", "regime_name": "act",
    "question_set.period": "period", "campaign.questions.period": "period",
    "campaign.name": "campaign_name", "campaign.signatory": "sender",
    "campaign.reply_to": "reply_to",
}
VARIABLE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
SCOPE_BLOCK = re.compile(
    r"\{%\s*if\s+body\.kind\s*==\s*[\"']commissioner[\"']\s*%\}commissioned for your area"
    r"\{%\s*else\s*%\}provided by your organisation\{%\s*endif\s*%\}")
QUESTIONS_BLOCK = re.compile(
    r"\{%\s*for\s+(\w+)\s+in\s+(?:question_set|campaign\.questions)\.questions\s*%\}"
    r"\{\{\s*forloop\.counter\s*\}\}\. \{\{\s*\1\.text\s*\}\}(\n?)\{%\s*endfor\s*%\}")

REPLACED_NOTE = ("The campaign's letter template used template code Cradle no longer runs and "
                 "could not be converted, so it was replaced by the standard letter.")
REWRITTEN_NOTE = "Written again from the campaign's letter in placeholder form."


def rewrite(text: str) -> str:
    """The variables and blocks Cradle's letters used, as placeholders; anything else as it
    was (so the placeholder check then refuses it)."""
    text = SCOPE_BLOCK.sub("[service_scope]", text)
    text = QUESTIONS_BLOCK.sub(lambda match: "[questions]" + match.group(2), text)
    return VARIABLE.sub(lambda match: (f"[{VARIABLES[match.group(1)]}]"
                                       if match.group(1) in VARIABLES else match.group(0)), text)


def convert(text: str) -> str | None:
    """The template in placeholders (the old standard letter becomes the new one, which also
    gives the reference and the due date), or None if it cannot be converted mechanically."""
    if text == OLD_DEFAULT_LETTER:
        return DEFAULT_LETTER
    text = rewrite(text)
    return None if check(text) else text


def _letter(request, campaign, body, on: datetime.date) -> str:
    questions = QUESTION_SETS[campaign.question_set]
    return fill(campaign.letter_template, letter_values(
        body_name=body.name, body_address=body.email, regime=request.regime,
        is_commissioner=body.kind == "commissioner", campaign_name=campaign.name,
        period=questions.period, questions=[q.text for q in questions.questions],
        due_on=due_date(on, request.regime), reference=request_reference(request.pk),
        sender=campaign.signatory, reply_to=campaign.reply_to))


def to_placeholders(apps, schema_editor):
    Campaign = apps.get_model("foi", "Campaign")
    FoiRequest = apps.get_model("foi", "FoiRequest")
    RequestEvent = apps.get_model("foi", "RequestEvent")
    today = datetime.date.today()
    for campaign in Campaign.objects.all():
        converted = convert(campaign.letter_template)
        campaign.letter_template = DEFAULT_LETTER if converted is None else converted
        campaign.save(update_fields=["letter_template"])
        requests = FoiRequest.objects.filter(campaign=campaign).select_related("body")
        events = []
        for request in requests:
            if converted is None:
                events.append(RequestEvent(request=request, kind="letter template replaced",
                                           on=today, note=REPLACED_NOTE, recorded_by="system"))
            if request.state == "not_sent":
                request.letter = _letter(request, campaign, request.body, today)
                request.save(update_fields=["letter"])
                events.append(RequestEvent(request=request, kind="letter written again",
                                           on=today, note=REWRITTEN_NOTE,
                                           recorded_by="system"))
        RequestEvent.objects.bulk_create(events)


class Migration(migrations.Migration):

    dependencies = [
        ('foi', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(to_placeholders, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='campaign',
            name='letter_template',
            field=models.TextField(help_text='Plain text with placeholders in square brackets, such as [body_name]; see cradle/foi/letters.py for the list. Template code is refused.', validators=[cradle.foi.models.validate_letter_template]),
        ),
    ]
