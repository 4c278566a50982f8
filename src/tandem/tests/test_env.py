"""Configuration from the environment fails loudly on a malformed value."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tandem.lib.env import env_bool, env_list, env_str


def test_it_reads_booleans_and_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_FLAG", "Yes")
    assert env_bool("TANDEM_FLAG", False) is True
    monkeypatch.setenv("TANDEM_FLAG", "off")
    assert env_bool("TANDEM_FLAG", True) is False
    monkeypatch.delenv("TANDEM_FLAG")
    assert env_bool("TANDEM_FLAG", True) is True


def test_it_refuses_a_boolean_it_cannot_read_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='ture' is not a boolean"):
        env_bool("DEBUG", False)


def test_it_reads_lists_and_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", " tandem.example, ,localhost ")
    assert env_list("ALLOWED_HOSTS", []) == ["tandem.example", "localhost"]
    assert env_str("TANDEM_UNSET_FOR_TEST", "fallback") == "fallback"
