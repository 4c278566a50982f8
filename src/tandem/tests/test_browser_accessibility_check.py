"""The axe-core check every page test relies on fails on a WCAG 2.1 A or AA violation."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_it_fails_a_page_with_an_unlabelled_field_and_names_the_rule(
    page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Synthetic</title></head>'
        '<body><main><h1>Synthetic form</h1><input type="text" name="case"></main></body></html>'
    )

    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)


def test_it_passes_the_same_page_once_the_field_has_a_label(
    page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    page.set_content(
        '<!doctype html><html lang="en"><head><title>Synthetic</title></head>'
        '<body><main><h1>Synthetic form</h1><label for="case">Case</label>'
        '<input type="text" id="case" name="case"></main></body></html>'
    )

    assert_accessible(page)
