"""Operator admin for the outbox: what is stuck, what failed and why. Read-only, and without
addresses, subjects or bodies: a follow-up or a share is its author's words to their contact."""

from django.contrib import admin

from tablee.outbox.models import Email, Heartbeat


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "attempts", "created_at", "sent_at", "next_attempt_at"]
    list_filter = ["status", "kind"]
    fields = ["kind", "status", "attempts", "created_at", "sent_at", "next_attempt_at", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "seen_at"]

    def has_add_permission(self, request):
        return False
