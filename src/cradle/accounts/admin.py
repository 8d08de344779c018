from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from . import two_factor
from .models import CommissionerArea, Invitation, NetworkRole, TeamMembership, User


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["service"]
    verbose_name = "team role"


class NetworkRoleInline(admin.TabularInline):
    model = NetworkRole
    extra = 0
    verbose_name = "network role"


class CommissionerAreaInline(admin.TabularInline):
    model = CommissionerArea
    extra = 0
    autocomplete_fields = ["area"]
    verbose_name = "commissioner area"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users sign in by email; there is no username, and no names but a display name."""

    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "network_roles__role",
                   "team_memberships__role"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Details", {"fields": ("display_name",)}),
        ("Admin access", {"fields": ("is_active", "is_staff", "is_superuser", "groups",
                                     "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2")}),
    )
    inlines = [TeamMembershipInline, NetworkRoleInline, CommissionerAreaInline]
    actions = ["remove_second_factor"]

    @admin.action(description="Remove the second factor (a lost phone: set up anew at sign-in)",
                  permissions=["change"])
    def remove_second_factor(self, request, queryset):
        removed = sum(two_factor.remove_second_factor(user, by=request.user)
                      for user in queryset)
        self.message_user(request, f"Second factor removed for {removed} user(s); each sets up "
                                   "a new one at their next sign-in.", messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made on the invitations page; here they can only be read."""

    list_display = ["email", "role", "service", "invited_by", "created_at", "expires_at",
                    "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
