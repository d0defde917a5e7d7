from django.contrib import admin

from .models import Question, QuestionSet, RiskLevelPolicy


@admin.register(RiskLevelPolicy)
class RiskLevelPolicyAdmin(admin.ModelAdmin):
    list_display = ["level", "review_after_days", "home_visit_every_days"]


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "section", "key", "text", "kind", "required"]
    can_delete = False
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    """Read only: a question set is published by a migration and never edited, so completed assessments keep the
    questions they were answered against."""

    list_display = ["version", "published_on"]
    inlines = [QuestionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
