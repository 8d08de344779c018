from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is written by the action layer, never by hand."""

    list_display = ("sequence", "recorded_at", "actor", "action", "model_label", "object_id")
    list_filter = ("action", "model_label")
    search_fields = ("actor", "actor_id", "object_id")
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
