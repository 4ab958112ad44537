"""Settings for the test run: the real settings, with a throw-away data directory."""

import os
import tempfile

os.environ["FICARCHIVE_DATA"] = tempfile.mkdtemp(prefix="ficarchive-test-")
os.environ.setdefault("FICARCHIVE_SECRET_KEY", "test-only-secret-key")

from ficarchive.settings import *  # noqa: E402,F403
