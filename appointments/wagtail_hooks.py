from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import ConsultationRequest
from .views import EXPORT_ACTION, ConsultationRequestPermissionPolicy, ConsultationRequestViewSet

register_permission_policy(
    ConsultationRequest, ConsultationRequestPermissionPolicy(ConsultationRequest)
)


@hooks.register("register_admin_viewset")
def register_consultation_requests():
    return ConsultationRequestViewSet()


@hooks.register("register_log_actions")
def register_export_log_action(actions):
    actions.register_action(EXPORT_ACTION, _("Export"), _("Exported in a spreadsheet"))
