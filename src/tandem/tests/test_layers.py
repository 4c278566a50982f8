"""Imports run downhill: each module imports only from the layers below its own, and the
perpetrator side reaches the ISS side only through `support/barrier.py` (and back). The layers
and the barrier are listed once, in pyproject.toml's `[tool.importlinter]`; these tests check
the code against them with import-linter, as `lint-imports pyproject.toml` does."""

from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.application.use_cases import SUCCESS, lint_imports, read_user_options
from importlinter.contracts.layers import LayersContract

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"

# import-linter reads its settings (the config readers, the graph builder) from here.
configuration.configure()


@pytest.fixture(scope="module")
def options() -> dict:
    user_options = read_user_options(config_filename=str(PYPROJECT))
    return {"session": user_options.session_options, "contracts": user_options.contracts_options}


def test_every_contract_in_pyproject_is_kept(capsys: pytest.CaptureFixture[str]) -> None:
    """The report names each import that breaks a contract, with its line."""
    result = lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    assert result == SUCCESS, capsys.readouterr().out


def test_an_import_from_a_higher_layer_breaks_the_layers_contract(options: dict) -> None:
    """The check bites: the same contract, on the code's graph plus one upward import (the
    calendar on the ground floor reaching up to perpetrator cases), names that import."""
    layers = next(c for c in options["contracts"] if c["id"] == "layers")
    contract = LayersContract(
        name=layers["name"], session_options=options["session"], contract_options=layers
    )
    graph = grimp.build_graph("tandem", exclude_type_checking_imports=True, cache_dir=None)
    graph.add_import(importer="tandem.lib.calendar", imported="tandem.cases.models")
    check = contract.check(graph, verbose=False)

    assert not check.kept
    broken = [
        (chain["importer"], chain["imported"])
        for dependency in check.metadata["invalid_dependencies"]
        for route in dependency["routes"]
        for chain in route["chain"]
    ]
    assert ("tandem.lib.calendar", "tandem.cases.models") in broken
