"""The intake team's inbox in the Wagtail admin."""

import re
from datetime import datetime
from functools import wraps

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from django_filters import BooleanFilter, ChoiceFilter, DateFromToRangeFilter, ModelChoiceFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy

from core.languages import language_choices
from pages.models import ConditionPage, LocationPage, PhysicianPage

from .exports import ReadableExportMixin
from .local_times import local_time_text
from .models.requests import VISITOR_FIELDS, ConsultationRequest, triage_order
from .search import search_filter
from .timeline import EXPORT, record_view, timeline
from .triage import (
    INTAKE_GROUP,
    TriageForm,
    accessibility_manager_email,
    display_name,
    overdue_cutoff,
    save_triage,
)

EXPORT_PERMISSION = "appointments.export_consultationrequest"
VIEW_PERMISSION = "appointments.view_consultationrequest"
EXPORT_ACTION = EXPORT


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


def site_choices() -> list[tuple[str, str]]:
    """The clinic's sites, each once, by the title of its page in its original language (the
    first created), in the editors' order: a request names the page in the visitor's language,
    and all its translations are the same site."""
    originals: dict[str, tuple[str, str]] = {}
    for key, title, path in (
        LocationPage.objects.filter(alias_of__isnull=True)
        .order_by("pk")
        .values_list("translation_key", "title", "path")
    ):
        originals.setdefault(str(key), (path, title))
    return [(key, title) for key, (_path, title) in sorted(originals.items(), key=lambda o: o[1])]


class ConsultationRequestFilterSet(WagtailFilterSet):
    assigned = ChoiceFilter(
        label=_("Assigned to"),
        choices=[("me", _("Me")), ("nobody", _("Nobody"))],
        empty_label=_("Anyone"),
        method="filter_assigned",
    )
    overdue = BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        help_text=_("New, and received more than the set number of working hours ago."),
    )
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
    location = ChoiceFilter(label=_("Location"), choices=site_choices, method="filter_location")
    is_flagged = BooleanFilter(label=_("Flagged for review"))

    def filter_location(self, queryset, name, value):
        # The site in any language: a Spanish visitor's request names the Spanish page.
        return queryset.filter(location__translation_key=value) if value else queryset

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset

    def filter_overdue(self, queryset, name, value):
        late = Q(status=ConsultationRequest.Status.NEW, created_at__lt=overdue_cutoff())
        if value is True:
            return queryset.filter(late)
        if value is False:
            return queryset.exclude(late)
        return queryset

    class Meta:
        model = ConsultationRequest
        fields = [
            "assigned",
            "overdue",
            "status",
            "kind",
            "created_at",
            "preferred_language",
            "condition",
            "physician",
            "location",
            "is_flagged",
        ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The inbox's default order (ConsultationRequestIndexView.order_queryset).
TRIAGE_ORDER = "triage"
INTERNATIONAL_PHONE = re.compile(r"\+\d{6,15}")


class ConsultationRequestIndexView(ReadableExportMixin, generic.IndexView):
    """The inbox list. Exports need their own permission and every export is logged."""

    @cached_property
    def can_export(self) -> bool:
        return self.request.user.has_perm(EXPORT_PERMISSION)

    @cached_property
    def show_export_buttons(self) -> bool:
        return self.can_export and super().show_export_buttons

    @cached_property
    def columns(self):
        if self.is_export:
            return super().columns
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="request"), *super().columns]

    def get_list_buttons(self, instance):
        """None: the reference opens the request, where everything about it is. Wagtail's
        per-row menu ("Edit", "Inspect") cost most of the time of drawing a page of 50
        requests (bench/inbox.py)."""
        return []

    def _get_title_column(self, *args, **kwargs):
        # The bulk action checkboxes are described by the request's reference.
        return super()._get_title_column(
            *args, **kwargs, get_title_id=lambda instance: f"request_{instance.pk}_title"
        )

    def get_base_queryset(self):
        # The inbox shows each request's assignee: one join rather than a query per row.
        return super().get_base_queryset().select_related("assignee")

    def search_queryset(self, queryset):
        # Accents, case and how a phone number is punctuated do not matter: appointments.search.
        if not self.is_searching:
            return queryset
        return queryset.filter(search_filter(self.search_query))

    def order_queryset(self, queryset):
        """Unless a column's order is chosen: the new requests first, oldest first (the
        patient who has waited longest), then the others, latest first (an index serves it:
        ``appointments.models.triage_order``)."""
        if self.ordering != TRIAGE_ORDER:
            return super().order_queryset(queryset)
        return queryset.order_by(*triage_order())

    def get(self, request, *args, **kwargs):
        if self.is_export and not self.can_export:
            return permission_denied(request, PermissionDenied())
        if (
            not request.GET
            and request.user.email
            and request.user.email.lower() == accessibility_manager_email(request).lower()
            and not request.user.groups.filter(name=INTAKE_GROUP).exists()
        ):
            # The accessibility manager's inbox is the accommodation requests; the filter
            # shows it, and clearing it shows every request.
            return redirect(f"{request.path}?kind={ConsultationRequest.Kind.ACCESSIBILITY}")
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


class ConsultationRequestEditView(generic.EditView):
    """Where intake staff work on a request: its status, who has it and a new note, above
    what the visitor sent (only what their form asked) and the request's timeline. Opening
    it is recorded; saving records each change and the note (``appointments.triage``)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_view(self.object, request.user)
        return response

    def save_instance(self):
        return save_triage(self.form, self.request.user)


class ConsultationRequestInspectView(generic.InspectView):
    """What the visitor sent, only the questions their form asked, and the timeline. Opening
    it is recorded: the history answers "who has read my details?"."""

    template_name = "appointments/admin/request_inspect.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_view(self.object, request.user)
        return response

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Wagtail reads the fields before the object; only the object knows what was asked.
        asked = self.object.asked_fields
        fields: list[str] = list(self.get_fields())
        self.fields = [name for name in fields if name not in VISITOR_FIELDS or name in asked]

    def get_field_label(self, field_name, field):
        if field_name == "source_page":
            return gettext("Came from")
        return super().get_field_label(field_name, field)

    def get_source_page_display_value(self) -> str:
        # The page, its language and the referrer's category on one line.
        return self.object.get_source_display()

    def get_field_display_value(self, field_name, field):
        # Wagtail shows a time in UTC here; the list and the timeline show it in local time.
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime):
            return local_time_text(value)
        return value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timeline"] = timeline(self.object)
        return context


class AskedFieldPanel(FieldPanel):
    """A read-only answer, shown only if the visitor's form asked the question, as staff
    read it: "Yes"/"No", "Not answered" for a question left blank, a time with its zone."""

    def __init__(self, field_name, *args, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(field_name, *args, **kwargs)

    def format_value_for_display(self, value):
        if self.field_name == "flags":
            labels = dict(ConsultationRequest.Flag.choices)
            flags = [str(labels.get(flag, flag)) for flag in (value or "").split(",") if flag]
            return ", ".join(flags) or gettext("None")
        if value is None or value == "":
            return gettext("Not answered")
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, datetime):
            return local_time_text(value)
        return super().format_value_for_display(value)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            if self.field_name in VISITOR_FIELDS and self.instance.pk:
                return self.field_name in self.instance.asked_fields
            return super().is_shown()


class RequestSourcePanel(FieldPanel):
    """Where the request came from, read-only, on one line: the page whose link the visitor
    followed, its language, and the category of the address the form was reached from
    (``ConsultationRequest.get_source_display``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("heading", _("Came from"))
        # The field's help text is written for the export's reader; the line explains itself.
        kwargs.setdefault("help_text", "")
        super().__init__("source_page", *args, **kwargs)

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs.pop("field_name", None)
        return kwargs

    class BoundPanel(FieldPanel.BoundPanel):
        @cached_property
        def value_from_instance(self):
            return self.instance.get_source_display()


class TimelinePanel(Panel):
    """The request's timeline (``appointments.timeline``) in its edit view, between what staff
    change and what the visitor sent."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "appointments/admin/_timeline.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["timeline"] = timeline(self.instance)
            return context


class RequestsMenuItem(MenuItem):
    """ "Requests", with the number of new ones: what waits to be answered."""

    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)

    def render_component(self, request):
        component = super().render_component(request)
        count = ConsultationRequest.objects.filter(status=ConsultationRequest.Status.NEW).count()
        if count:
            component.label = gettext("%(label)s (%(count)s new)") % {
                "label": self.label,
                "count": count,
            }
        return component


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
    index_template_name = "appointments/admin/request_index.html"
    edit_view_class = ConsultationRequestEditView
    inspect_view_class = ConsultationRequestInspectView
    menu_item_class = RequestsMenuItem
    filterset_class = ConsultationRequestFilterSet
    # 25 a page: each row costs a few milliseconds to draw (Wagtail's table cells), and at 50
    # the inbox no longer answered within its 300 ms (bench/inbox.py).
    list_per_page = 25
    ordering = TRIAGE_ORDER
    # Plain database lookups: personal data stays out of the search index. What the search
    # reads (ConsultationRequestIndexView.search_queryset, appointments.search).
    search_backend_name = None
    search_fields = ["reference", "search_text", "phone_digits"]
    list_display = [
        "reference",
        "full_name",
        "kind",
        "status",
        # A word where a request is flagged, nothing where it is not: a red cross beside
        # every request that is fine read as a fault.
        Column(
            "is_flagged",
            label=_("Flagged"),
            accessor=lambda request: gettext("Flagged") if request.is_flagged else "",
            sort_key="is_flagged",
        ),
        "preferred_language",
        Column(
            "assignee",
            label=_("Assigned to"),
            accessor=lambda request: display_name(request.assignee) if request.assignee else "",
            sort_key="assignee",
        ),
        DateColumn("created_at", label=_("Received"), sort_key="created_at"),
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
        # Where it came from (appointments.source_report): the page, its language, the
        # category of the address the form was reached from.
        "source_page",
        "source_language",
        "source_referrer",
        "assignee",
        "consent_given_at",
        "first_contact_at",
        "notified_at",
        "acknowledged_at",
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
        "source_page",
        "consent_given_at",
        "privacy_notice_version",
        "assignee",
        "first_contact_at",
        "notified_at",
        "acknowledged_at",
    ]

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            pattern.callback = forbidden_without_access(pattern.callback)
        return patterns

    # The edit view is where intake staff work: what the visitor sent is shown read-only
    # beside what staff change: status, assignee and a new note (appointments.triage).
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("assignee"), FieldPanel("note")],
                heading=_("Triage"),
            ),
            TimelinePanel(heading=_("Timeline")),
            MultiFieldPanel(
                [AskedFieldPanel(name) for name in ["kind", "created_at", "flags", *VISITOR_FIELDS]]
                + [RequestSourcePanel()],
                heading=_("What the visitor sent"),
            ),
        ],
        base_form_class=TriageForm,
    )
