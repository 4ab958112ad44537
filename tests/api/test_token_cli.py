"""`ficarchive api-token`: create prints the token once, list shows it by prefix, revoke ends it."""

from __future__ import annotations

import re

import pytest

from ficarchive.api.tokens import user_for_token
from ficarchive.cli import main

pytestmark = pytest.mark.django_db


def test_create_list_and_revoke(writer, capsys):
    assert main(["api-token", "create", writer.username, "--name", "backup script"]) == 0
    out = capsys.readouterr().out
    token = re.search(r"^(fa_\S+)$", out, re.M).group(1)
    assert user_for_token(token) == writer

    assert main(["api-token", "list", writer.username]) == 0
    listing = capsys.readouterr().out
    assert token[:10] in listing and "backup script" in listing and "active" in listing
    assert token not in listing  # only the prefix is ever shown again
    token_id = listing.split("\t", 1)[0]

    assert main(["api-token", "revoke", token_id]) == 0
    assert user_for_token(token) is None
    assert main(["api-token", "list"]) == 0
    assert "revoked" in capsys.readouterr().out


def test_clear_errors(capsys):
    assert main(["api-token", "create", "nobody"]) == 1
    assert "no user is called 'nobody'" in capsys.readouterr().err
    assert main(["api-token", "revoke", "12345"]) == 1
    assert "no API token has id 12345" in capsys.readouterr().err
    assert main(["api-token", "revoke", "abc"]) == 1
