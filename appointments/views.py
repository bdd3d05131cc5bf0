"""The intake team's inbox in the Wagtail admin."""

import re
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from django_filters import BooleanFilter, ChoiceFilter, DateFromToRangeFilter, ModelChoiceFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

from core.languages import language_choices
from pages.models import ConditionPage, PhysicianPage

from .models import ConsultationRequest

EXPORT_PERMISSION = "appointments.export_consultationrequest"
VIEW_PERMISSION = "appointments.view_consultationrequest"
EXPORT_ACTION = "appointments.export"


def forbidden_without_access(view):
    """Staff without any permission on requests get a plain 403, not Wagtail's usual redirect
    to the dashboard: the inbox should not even admit to its contents."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.has_perm(VIEW_PERMISSION):
            return permission_denied(request, PermissionDenied())
        return view(request, *args, **kwargs)

    return wrapped


class ConsultationRequestPermissionPolicy(ModelPermissionPolicy):
    """Requests only ever come from visitors: nobody adds one in the admin."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)


class ConsultationRequestFilterSet(WagtailFilterSet):
    status = ChoiceFilter(label=_("Status"), choices=ConsultationRequest.Status.choices)
    kind = ChoiceFilter(label=_("Type"), choices=ConsultationRequest.Kind.choices)
    created_at = DateFromToRangeFilter(label=_("Received"), widget=DateRangePickerWidget)
    preferred_language = ChoiceFilter(label=_("Language"), choices=language_choices)
    condition = ModelChoiceFilter(
        label=_("Condition"),
        queryset=lambda request: ConditionPage.objects.live().order_by("title"),
    )
    physician = ModelChoiceFilter(
        label=_("Physician"),
        queryset=lambda request: PhysicianPage.objects.live().order_by("title"),
    )
    is_flagged = BooleanFilter(label=_("Flagged for review"))

    class Meta:
        model = ConsultationRequest
        fields = [
            "status",
            "kind",
            "created_at",
            "preferred_language",
            "condition",
            "physician",
            "is_flagged",
        ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INTERNATIONAL_PHONE = re.compile(r"\+\d{6,15}")


class ConsultationRequestIndexView(generic.IndexView):
    """The inbox list. Exports need their own permission and every export is logged."""

    @cached_property
    def can_export(self) -> bool:
        return self.request.user.has_perm(EXPORT_PERMISSION)

    @cached_property
    def show_export_buttons(self) -> bool:
        return self.can_export and super().show_export_buttons

    def get_base_queryset(self):
        # The inbox shows each request's assignee: one join rather than a query per row.
        return super().get_base_queryset().select_related("assignee")

    def get(self, request, *args, **kwargs):
        if self.is_export and not self.can_export:
            return permission_denied(request, PermissionDenied())
        return super().get(request, *args, **kwargs)

    def preprocess_field_value(self, field, value, export_format):
        """In CSV, a visitor's answer that starts like a formula (``=``, ``+``, ``-``, ``@``, a tab
        or a carriage return) is prefixed with an apostrophe, so that a spreadsheet program shows
        it as text instead of running it (OWASP's advice on CSV injection). The XLSX export
        stores such values as text already."""
        value = super().preprocess_field_value(field, value, export_format)
        if (
            export_format == self.FORMAT_CSV
            and isinstance(value, str)
            and value[:1] in FORMULA_STARTS
        ):
            return "'" + value
        return value

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # Each exported request records who exported it, when and in what format, so its
        # history answers "who has had a copy of my details?".
        content_type = ContentType.objects.get_for_model(ConsultationRequest)
        now = timezone.now()
        ModelLogEntry.objects.bulk_create(
            ModelLogEntry(
                content_type=content_type,
                object_id=str(pk),
                label=f"#{reference}",
                action=EXPORT_ACTION,
                data={"format": spreadsheet_format},
                timestamp=now,
                user=self.request.user,
            )
            for pk, reference in queryset.values_list("pk", "reference")
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


# What the visitor sent, in the order the form asks it.
VISITOR_FIELDS = [
    "full_name",
    "phone",
    "email",
    "contact_details",
    "preferred_contact_method",
    "best_time",
    "preferred_language",
    "interpreter_needed",
    "condition",
    "physician",
    "symptom_onset",
    "patient_status",
    "referring_clinician",
    "message",
]


class ConsultationRequestViewSet(ModelViewSet):
    model = ConsultationRequest
    name = "consultation_requests"
    icon = "mail"
    menu_label = _("Requests")
    menu_order = 150
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ConsultationRequestIndexView
    filterset_class = ConsultationRequestFilterSet
    list_per_page = 50
    ordering = ["-created_at"]
    # Plain database lookups: personal data stays out of the search index.
    search_backend_name = None
    search_fields = ["reference", "full_name", "email", "phone"]
    list_display = [
        "reference",
        "full_name",
        "kind",
        "status",
        BooleanColumn("is_flagged", label=_("Flagged")),
        "preferred_language",
        "assignee",
        "created_at",
    ]
    list_export = [
        "reference",
        "created_at",
        "kind",
        "status",
        "is_flagged",
        "flags",
        *VISITOR_FIELDS,
        "submitted_language",
        "assignee",
    ]
    export_filename = "consultation-requests"
    inspect_view_fields = [
        "reference",
        "created_at",
        "kind",
        "status",
        "flags",
        "recaptcha_score",
        *VISITOR_FIELDS,
        "submitted_language",
        "consent_given_at",
        "privacy_notice_version",
        "assignee",
        "internal_notes",
        "notified_at",
        "acknowledged_at",
    ]

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = forbidden_without_access(pattern.callback)
        return patterns

    def formfield_for_dbfield(self, db_field, **kwargs):
        if db_field.name == "assignee":
            # Only people who can work on requests can be assigned one.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True)
                .filter(
                    Q(is_superuser=True)
                    | Q(groups__permissions__codename="change_consultationrequest")
                    | Q(user_permissions__codename="change_consultationrequest")
                )
                .distinct()
                .order_by("first_name", "last_name", "username")
            )
        return super().formfield_for_dbfield(db_field, **kwargs)

    # The edit view is where intake staff work: what the visitor sent is shown read-only
    # beside the three things staff change.
    panels = [
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("assignee"), FieldPanel("internal_notes")],
            heading=_("Triage"),
        ),
        MultiFieldPanel(
            [
                FieldPanel(name, read_only=True)
                for name in ["kind", "created_at", "flags", *VISITOR_FIELDS]
            ],
            heading=_("What the visitor sent"),
        ),
    ]
