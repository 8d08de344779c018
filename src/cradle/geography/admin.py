from django.contrib import admin

from .models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """Reference areas come from `cradle data load`; the admin only finds them."""

    list_display = ["name", "scheme", "code", "ods_code", "nation"]
    list_filter = ["scheme", "nation"]
    search_fields = ["name", "code", "ods_code"]
    exclude = ["boundary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
