from django.core.management.base import BaseCommand

from scorecards.defaults import install_default_scorecards


class Command(BaseCommand):
    help = "Install and publish the default scorecards written from the customer-service policy (skips any that exist)."

    def handle(self, *args, **options):
        installed = install_default_scorecards()
        if installed:
            self.stdout.write(self.style.SUCCESS("Installed: " + ", ".join(s.name for s in installed)))
        else:
            self.stdout.write("The default scorecards are already installed; nothing changed.")
