"""Operator admin for gatherings, series and RSVPs."""

from django.contrib import admin

from tablee.gatherings.models import Gathering, Rsvp, Series


class RsvpInline(admin.TabularInline):
    model = Rsvp
    extra = 0
    fields = ["user", "status"]
    readonly_fields = ["user"]


@admin.register(Gathering)
class GatheringAdmin(admin.ModelAdmin):
    list_display = ["title", "association", "starts_at", "state"]
    list_filter = ["association", "state"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    inlines = [RsvpInline]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "association"]
    list_filter = ["association"]
