from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CriterionEvidence,
    RegisterClaim,
    Service,
    ServiceCoverage,
    ServiceFunding,
    ServiceIntervention,
    ServiceStaffing,
    SourcedDetail,
    StatusChange,
    TeamCountMilestone,
)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0


class CoverageInline(admin.TabularInline):
    model = ServiceCoverage
    extra = 0
    autocomplete_fields = ["area"]


class StaffingInline(admin.TabularInline):
    model = ServiceStaffing
    extra = 0


class InterventionInline(admin.TabularInline):
    model = ServiceIntervention
    extra = 0


class FundingInline(admin.TabularInline):
    model = ServiceFunding
    extra = 0


class EvidenceInline(admin.StackedInline):
    model = CriterionEvidence
    extra = 0


class ImportedRowsInline(admin.StackedInline):
    """Rows an import copies from a shipped file: shown for reference, changed only by
    re-import."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "id"]

    def has_add_permission(self, request, obj=None):
        return False


class ClaimInline(ImportedRowsInline):
    """What sources said (register updates), each row the import's copy of a sourced claim."""

    model = RegisterClaim


class SourcedDetailInline(ImportedRowsInline):
    """Where the shipped details come from (service-details.csv). Editing the service's own
    field above makes it the coordinator's: the load never writes over it (docs/adr/0018)."""

    model = SourcedDetail
    verbose_name = "detail from a shipped source"


class SyntheticTeamsFilter(admin.SimpleListFilter):
    """The register without the synthetic teams `cradle synth` makes, unless asked for."""

    title = "synthetic teams"
    parameter_name = "synthetic"

    def lookups(self, request, model_admin):
        return [("shown", "Shown too"), ("only", "Only synthetic teams")]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "All":
                choice["display"] = "Hidden"
            yield choice

    def queryset(self, request, queryset):
        if self.value() == "shown":
            return queryset
        if self.value() == "only":
            return queryset.filter(synthetic=True)
        return queryset.filter(synthetic=False)


def inline_changes(formsets) -> list[str]:
    """What the inline rows of an admin save did, in words (no values): "Staffing: 1 added"."""
    found = []
    for formset in formsets:
        counts = [(len(formset.new_objects), "added"), (len(formset.changed_objects), "changed"),
                  (len(formset.deleted_objects), "deleted")]
        done = ", ".join(f"{count} {what}" for count, what in counts if count)
        if done:
            found.append(f"{formset.model._meta.verbose_name_plural.capitalize()}: {done}")
    return found


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "nation", "locality", "register_ref", "synthetic"]
    list_filter = [SyntheticTeamsFilter, "kind", "nation"]
    search_fields = ["name", "other_names", "locality", "register_ref"]
    inlines = [StatusChangeInline, CoverageInline, StaffingInline, InterventionInline,
               FundingInline, EvidenceInline, ClaimInline, SourcedDetailInline]
    fieldsets = [
        (None, {"fields": ["register_ref", "name", "other_names", "kind", "nation", "locality",
                           "source_note"]}),
        ("How to refer", {
            "description": "Record the date you checked each detail with the service or its "
                           "own page; leave a detail blank when it is not known.",
            "fields": ["professional_referral", "self_referral", "referral_pathway",
                       "referral_checked_on"]}),
        ("Ages and languages", {"fields": ["accepts_from", "accepts_to_months",
                                           "ages_checked_on", "languages",
                                           "languages_checked_on"]}),
        ("Contact", {"fields": ["contact_phone", "contact_phone_checked_on", "contact_email",
                                "contact_email_checked_on", "website", "website_checked_on"]}),
    ]

    def save_related(self, request, form, formsets, change):
        """Inline edits (staffing, coverage, ...) appear in the service's own history: the
        history row the save just wrote says which inline rows changed."""
        super().save_related(request, form, formsets, change)
        changes = inline_changes(formsets)
        latest = form.instance.history.order_by("-history_id").first()
        if changes and latest is not None:
            reason = "; ".join(changes)
            if latest.history_change_reason:
                reason = f"{latest.history_change_reason}; {reason}"
            latest.history_change_reason = reason[:100]
            latest.save(update_fields=["history_change_reason"])


@admin.register(TeamCountMilestone)
class TeamCountMilestoneAdmin(admin.ModelAdmin):
    list_display = ["on", "teams", "in_development", "publication", "publisher"]
