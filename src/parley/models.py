"""Imports every domain's tables so that `Base.metadata` is complete for migrations.

Only the migration environment and tests import this module."""

from parley.access import models as access  # noqa: F401
from parley.conversations import models as conversations  # noqa: F401
from parley.departments import models as departments  # noqa: F401
from parley.files import models as files  # noqa: F401
from parley.groups import models as groups  # noqa: F401
from parley.guests import models as guests  # noqa: F401
from parley.messages import models as messages  # noqa: F401
from parley.org import models as org  # noqa: F401
from parley.users import models as users  # noqa: F401
