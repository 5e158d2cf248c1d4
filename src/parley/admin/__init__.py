"""The admin console's server side: users, CSV import, groups, settings, dashboard."""
