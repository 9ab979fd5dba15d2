from django.core.management.base import BaseCommand

from config import demo
from qa import roles


class Command(BaseCommand):
    help = "Load the demo organisation, default scorecards, one login per role and six months of evaluations. Safe to run twice."

    def handle(self, *args, **options):
        result = demo.seed_demo()
        if result["evaluations_created"]:
            self.stdout.write(self.style.SUCCESS(f"Created {result['evaluations_created']} demo evaluations."))
        else:
            self.stdout.write("Demo data already loaded; nothing duplicated.")
        self.stdout.write("\nDemo logins (password for all: %s)" % demo.DEMO_PASSWORD)
        for user in result["users"]:
            label = roles.ROLE_LABELS[user.role]
            self.stdout.write(f"  {label:<18} {user.username}")
