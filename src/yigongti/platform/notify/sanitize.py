"""A small whitelist HTML sanitizer for announcement content (rich text from the console editor).

Only the tags and attributes below survive; everything else is dropped, text is re-escaped, and the
content of ``script``/``style``/``iframe``/… is removed entirely. Links keep ``http``, ``https``,
``mailto`` and relative addresses only and always open in a new tab without an opener. The output is
well formed: every allowed tag opened is closed. Built on the standard library's ``html.parser``.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "b", "em", "i", "u", "s", "sub", "sup", "span", "div",
        "h1", "h2", "h3", "h4", "blockquote", "pre", "code", "ul", "ol", "li",
        "table", "thead", "tbody", "tr", "th", "td", "a",
    }
)  # fmt: skip
VOID_TAGS = frozenset({"br", "hr"})
DROP_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math", "head"}
)
ALLOWED_ATTRS: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
    "ol": frozenset({"start"}),
}
SAFE_SCHEMES = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_url(value: str) -> str | None:
    """The URL if it is http(s), mailto or relative; ``None`` otherwise (``javascript:``, ``data:``…)."""
    compact = _CONTROL.sub("", value or "")
    if not compact or compact.startswith("//"):
        return None
    match = _SCHEME.match(compact)
    if match and match.group(1).lower() not in SAFE_SCHEMES:
        return None
    return value.strip()


class _Sanitizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROP_CONTENT:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED_TAGS:
            return
        kept: list[str] = []
        allowed = ALLOWED_ATTRS.get(tag, frozenset())
        for name, value in attrs:
            if name not in allowed or value is None:
                continue
            if name == "href":
                value = safe_url(value)
                if value is None:
                    continue
            elif name in {"colspan", "rowspan", "start"} and not value.strip().isdigit():
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        if tag == "a" and any(k.startswith(" href=") for k in kept):
            kept.append(' target="_blank" rel="noopener noreferrer"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROP_CONTENT:
            return
        self.handle_starttag(tag, attrs)
        if tag in ALLOWED_TAGS and tag not in VOID_TAGS and not self.dropping:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            self.out.append(f"</{open_tag}>")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        while self.stack:
            self.out.append(f"</{self.stack.pop()}>")
        return "".join(self.out)


def sanitize_html(value: str) -> str:
    """The safe subset of ``value`` (comments, doctype and processing instructions are dropped)."""
    parser = _Sanitizer()
    parser.feed(value or "")
    return parser.result().strip()


def plain_text(value: str, limit: int = 200) -> str:
    """The text of sanitized HTML, collapsed to one line (for summaries and notifications)."""
    text = re.sub(r"<[^>]+>", " ", value or "")
    text = re.sub(r"\s+", " ", html.unescape(text)).strip()
    return text[: limit - 1] + "…" if len(text) > limit else text
