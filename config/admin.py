"""Site-wide admin rules, applied after every app has registered its model admins (the admin
imports this module last, as config is the last installed app).

Third-party model admins (django-axes' access logs) get the same bounded date drill-down as the
project's own (qa.admin.BoundedDateHierarchyMixin): a far year in their URL is a bad filter,
not a 500.
"""

from django.contrib import admin

from qa.admin import BoundedDateHierarchyMixin

for model, model_admin in list(admin.site._registry.items()):
    if model_admin.date_hierarchy and not isinstance(model_admin, BoundedDateHierarchyMixin):
        admin_class = type(model_admin)
        admin.site.unregister(model)
        admin.site.register(model, type(admin_class.__name__, (BoundedDateHierarchyMixin, admin_class), {}))
