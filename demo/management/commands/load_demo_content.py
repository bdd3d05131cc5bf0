from django.core.management.base import BaseCommand

from demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Build the demo clinic: home, conditions, treatments, physicians, accessibility, privacy "
        "and contact pages, images and clinic settings. Only what is missing is created."
    )

    def handle(self, *args, **options) -> None:
        created = DemoLoader().run()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Demo content: created {len(created)} items."))
            for item in created:
                self.stdout.write(f"  {item}")
        else:
            self.stdout.write("Demo content is already in place; nothing changed.")
