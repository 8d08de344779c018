"""Django's admin app on Cradle's own site (its own module: an apps.py holding a second
AppConfig would change which one Django picks for the accounts app)."""

from django.contrib.admin.apps import AdminConfig


class CradleAdminConfig(AdminConfig):
    """A verified second factor, every change in the audit log, and only the models
    coordinators need (accounts/admin_site.py)."""

    default_site = "cradle.accounts.admin_site.CradleAdminSite"
