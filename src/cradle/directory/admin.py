from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CriterionEvidence,
    Service,
    ServiceCoverage,
    ServiceFunding,
    ServiceIntervention,
    ServiceStaffing,
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


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "nation", "locality", "register_ref"]
    list_filter = ["kind", "nation"]
    search_fields = ["name", "other_names", "locality", "register_ref"]
    inlines = [StatusChangeInline, CoverageInline, StaffingInline, InterventionInline,
               FundingInline, EvidenceInline]


@admin.register(TeamCountMilestone)
class TeamCountMilestoneAdmin(admin.ModelAdmin):
    list_display = ["on", "teams", "in_development", "publication", "publisher"]
