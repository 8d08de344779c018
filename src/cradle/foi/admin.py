from django.contrib import admin

from .models import Body, Campaign, FoiRequest, RequestEvent, ResponseRecord


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "ods_code", "kind", "nation", "email"]
    list_filter = ["kind", "nation"]
    search_fields = ["name", "ods_code", "email"]
    filter_horizontal = ["areas"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "question_set", "signatory", "reply_to", "created_at"]
    search_fields = ["name"]


class RequestEventInline(admin.TabularInline):
    """A request's history is append-only: shown here, never edited."""

    model = RequestEvent
    extra = 0
    fields = ["on", "kind", "note", "recorded_by", "recorded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FoiRequest)
class FoiRequestAdmin(admin.ModelAdmin):
    list_display = ["body", "campaign", "state", "regime", "sent_on", "due_on"]
    list_filter = ["campaign", "state", "regime", "body__kind"]
    search_fields = ["body__name", "body__ods_code"]
    list_select_related = ["body", "campaign"]
    raw_id_fields = ["body", "redirected_from"]
    inlines = [RequestEventInline]


@admin.register(ResponseRecord)
class ResponseRecordAdmin(admin.ModelAdmin):
    list_display = ["area", "respondent_code", "respondent_type", "received_on", "campaign"]
    list_filter = ["campaign", "respondent_type"]
    search_fields = ["respondent_code", "area__name", "area__ods_code"]
    list_select_related = ["area", "campaign"]
    raw_id_fields = ["request", "area"]
