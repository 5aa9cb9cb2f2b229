"""Human output shows any user text literally and never hands the terminal a control code."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from idolq.cli import output

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = st.text(alphabet=st.sampled_from(list("[]/\\:ab \x1b\x07\r\t\n\x9b\u202e"))) | st.text()


@given(HOSTILE)
def test_visible_text_holds_no_control_character_but_tab_and_newline(text):
    assert not CONTROL.search(output.visible(text))


def test_visible_text_names_each_control_character():
    assert output.visible("\x1b]0;pwned\x07\u202e") == "\\x1b]0;pwned\\x07\\u202e"
    assert output.visible("tab\tnew\nline [/] ✨") == "tab\tnew\nline [/] ✨"


@settings(max_examples=50, deadline=None)
@given(HOSTILE)
def test_any_text_is_drawn_by_rich_literally(text):
    import io

    buffer = io.StringIO()
    row = {"code": "LORE-001", "title": text}
    original = output._write
    try:
        output._write = buffer.write
        output._rich_table([row], (("code", "Code"), ("title", "Title")),
                           title=output.visible(text))
        output._rich_record(row, (("code", "code"), ("title", "title")), None)
    finally:
        output._write = original
    drawn = buffer.getvalue()
    assert "\x1b" not in drawn and "\x07" not in drawn
