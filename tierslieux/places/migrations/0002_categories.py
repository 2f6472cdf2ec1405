"""The fixed list of place categories (labels are translated in code, not stored)."""

from django.db import migrations

CODES = [
    "coworking", "fablab", "shared_workshop", "cultural_cafe",
    "support_incubation", "food", "living_lab", "other",
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("places", "Category")
    for code in CODES:
        Category.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
