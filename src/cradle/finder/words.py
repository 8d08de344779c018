"""Words the page and `cradle services near` share, so both say the same. Where the register
knows no service nearby, the alternatives name the people every family in the UK can already
ask: information, not advice, and the page says so. Plain text, no Django imports."""

NOT_ADVICE = ("This is information about services, not medical advice. If you are worried "
              "about yourself or your baby, talk to one of the people below.")

ALTERNATIVES: tuple[tuple[str, str], ...] = (
    ("Your health visitor",
     "Every family with a baby or young child has one. They can talk with you about how you "
     "and your baby are getting on, and refer you to local support."),
    ("Your GP", "They can talk with you about your feelings and your relationship with your "
     "baby, and refer you to services, including mental health services."),
    ("Your midwife", "During pregnancy and the first weeks after birth."),
    ("Your local perinatal mental health service",
     "Specialist perinatal mental health services support parents' mental health during "
     "pregnancy and after birth; your GP, midwife or health visitor can refer you."),
)

EMERGENCY = "If you think you or your baby are in danger now, call 999."

REFERRAL_NOT_RECORDED = ("The register does not record how to refer. Ask your health visitor, "
                         "GP or midwife: they can tell you whether the service takes families "
                         "from your area and refer you.")

ENTER_SOMETHING = "Enter a postcode, a postcode district or the name of a place"
NI_OFF = ("Looking up Northern Ireland (BT) postcodes is turned off on this site: the data "
          "that places them is licensed by Land & Property Services for non-commercial use "
          "only. Enter the name of your council or health and social care trust instead, for "
          "example Belfast.")


def problem_in_words(problem: str, *, postcode: str = "", outside: str = "") -> str:
    """Why an answer has no place, as the page's error message and the command's error.
    Without `postcode` the message does not repeat it (the command's errors may be logged)."""
    subject = postcode or "That"
    if problem == "empty":
        return ENTER_SOMETHING
    if problem == "not-a-postcode":
        return ("Enter a full postcode, like LS1 4AP, or the first half of one (the district), "
                "like LS1")
    if problem == "unknown-postcode":
        return (f"{subject} is not a postcode we can find. Check it, or enter the first half "
                "(the district) or the name of your council")
    if problem == "outside-uk":
        return (f"{postcode or 'That postcode'} is in {outside}, which is not part of the UK: "
                "Cradle lists services in England, Scotland, Wales and Northern Ireland only")
    if problem == "ni-off":
        return NI_OFF
    if problem == "not-found":
        return ("No council, health area or nation has that name. Check the spelling, or "
                "enter a postcode")
    return ""


def did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"Did you mean {listed}?"
