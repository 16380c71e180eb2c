"""Markdown from scenario files and users is rendered, then sanitised."""

from wargame.lib.markdown import render_markdown


def test_markdown_is_rendered() -> None:
    html = render_markdown("**Advisory 14.** Marisol is\n\n- 410 km south-east\n- of Jacmel")
    assert "<strong>Advisory 14.</strong>" in html
    assert "<li>410 km south-east</li>" in html


def test_scripts_handlers_and_dangerous_links_are_removed() -> None:
    html = render_markdown(
        '<script>alert(1)</script><img src=x onerror="alert(2)">'
        "[click](javascript:alert(3)) <a href='https://www.oas.org' onclick='x()'>OAS</a>"
        "<iframe src='https://evil.example'></iframe>"
    )
    for forbidden in ("<script", "onerror", "javascript:", "onclick", "<iframe", "<img"):
        assert forbidden not in html
    assert 'href="https://www.oas.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
