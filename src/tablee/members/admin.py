"""Operator admin for people and associations. Profiles' private fields stay out: the admin shows
who someone is and where they belong, not what they wrote about themselves."""

from django.contrib import admin

from tablee.members.models import ApiToken, Association, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fields = ["email", "first_name", "last_name", "is_active", "is_staff", "is_superuser", "date_joined"]
    readonly_fields = ["date_joined"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "association", "role", "joined_at"]
    list_filter = ["role", "association"]
    search_fields = ["user__email", "association__name"]
    autocomplete_fields = ["user", "association"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Revoke a token here (set "revoked at") or with `tablee token revoke`; the key is never shown."""

    list_display = ["user", "label", "created_at", "last_used_at", "revoked_at"]
    fields = ["user", "label", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "label", "created_at", "last_used_at"]
    search_fields = ["user__email"]

    def has_add_permission(self, request):
        return False
