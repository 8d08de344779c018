"""System checks. `cradle check --deploy`: production cannot run without the NHS-number
pseudonym key (else the first NHS number entered would fail), and the key is checked without
being shown. Always: workbooks are parsed with defusedxml."""

from django.core import checks

from cradle.core.checks import missing_key_errors


@checks.register(checks.Tags.security, deploy=True)
def pseudonym_key_is_set(app_configs, **kwargs):
    from .validation import pseudonym_key

    return missing_key_errors(pseudonym_key, check_id="cradle.outcomes.E001")


@checks.register(checks.Tags.security)
def workbook_xml_is_defused(app_configs, **kwargs):
    """Uploaded workbooks are parsed by openpyxl, which refuses XML entity declarations only
    when defusedxml is installed (and OPENPYXL_DEFUSEDXML is not False); without it the bulk
    import refuses every workbook (bulk/parsing.py), so say why at start-up."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        return [checks.Error("openpyxl is not using defusedxml: install defusedxml and leave "
                             "OPENPYXL_DEFUSEDXML unset, or workbook imports are refused",
                             id="cradle.outcomes.E002")]
    return []
