import factory
from django.utils import timezone

from appointments.models import ConsultationRequest


class ConsultationRequestFactory(factory.django.DjangoModelFactory):
    full_name = factory.Sequence(lambda n: f"Patient {n}")
    email = factory.Sequence(lambda n: f"patient{n}@example.org")
    phone = "+12025550123"
    message = "My face feels tight."
    consent_given_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = "page-1-revision-1"

    class Meta:
        model = ConsultationRequest
