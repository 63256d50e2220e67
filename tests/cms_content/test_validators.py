"""Plain-text validators of editor and citizen input."""

import pytest
from django.core.exceptions import ValidationError

from cms_content.validators import no_control_characters, no_html


@pytest.mark.parametrize(
    "value", ["<script>alert(1)</script>", "hola <b>mundo</b>", "<img src=x onerror=y>", "</p>"]
)
def test_html_tags_are_refused(value):
    with pytest.raises(ValidationError):
        no_html(value)


@pytest.mark.parametrize("value", ["", "3 < 5 y 7 > 2", "Calle O'Higgins #120", "Niños & niñas"])
def test_plain_text_with_comparison_signs_is_accepted(value):
    no_html(value)


@pytest.mark.parametrize("value", ["a\x00b", "lone \ud800 surrogate", "bell\x07"])
def test_control_characters_and_lone_surrogates_are_refused(value):
    with pytest.raises(ValidationError):
        no_control_characters(value)


def test_tabs_and_newlines_are_accepted():
    no_control_characters("línea 1\nlínea 2\tcon tab\r\n")
