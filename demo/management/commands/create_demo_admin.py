import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

# One fictional person in every group, to try each role: (username, first name, last name,
# groups). Marketing's lead also approves the pages that are not clinical ("Content leads").
DEMO_TEAM = [
    ("physician", "Imogen", "Vale", ["Physicians (clinical review)"]),
    ("marketing", "Rafael", "Quint", ["Marketing editors", "Content leads"]),
    ("translator-es", "Lucía", "Marbel", ["Translators (Spanish)"]),
    ("translator-fr", "Élodie", "Garnier", ["Translators (French)"]),
    ("intake", "Noor", "Ashby", ["Intake staff"]),
]


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo superuser 'admin' and one demo user in every group, each with "
        "a fresh random password, and print them. For local demos only: refuses to run with "
        "DEBUG off."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("create_demo_admin is for local demos and needs DEBUG on.")
        password = self.reset(username, superuser=True)
        self.stdout.write(
            self.style.SUCCESS("Demo admin login (http://127.0.0.1:8000/admin/):")
            + f"\n  username: {username}\n  password: {password}"
        )
        self.stdout.write(self.style.SUCCESS("Demo team, one in every group:"))
        for team_username, first_name, last_name, group_names in DEMO_TEAM:
            groups = [Group.objects.get(name=name) for name in group_names]
            password = self.reset(team_username, first_name=first_name, last_name=last_name)
            user = get_user_model().objects.get(username=team_username)
            user.groups.set(groups)
            self.stdout.write(
                f"  {team_username:<14} {password}  {first_name} {last_name}: "
                + ", ".join(group_names)
            )

    def reset(self, username: str, superuser: bool = False, **names: str) -> str:
        """Create or reset a user, with a fresh random password (returned)."""
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org", **names}
        )
        user.is_superuser = superuser
        user.is_staff = superuser
        user.is_active = True
        user.set_password(password)
        user.save()
        return password
