"""Markdown notes rendered to HTML, sanitised: only harmless tags, links made safe."""

import re
from html.parser import HTMLParser

import markdown as md
import nh3

_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4"}


def render(text: str) -> str:
    html = md.markdown(text, extensions=["sane_lists"])
    return nh3.clean(html, tags=_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow")


_BLOCKS = {"p", "li", "h3", "h4", "blockquote", "pre", "ul", "ol"}


class _PlainText(HTMLParser):
    """The words of the rendered note, without its markup: paragraphs apart, list items one a line
    (« - » or their number), a link's address after its words when they differ."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # one counter per open list; [0] for a bulleted one
        self.href: list[str] = []
        self.link_text: list[str] = []

    def _break(self, lines: int = 1) -> None:
        text = "".join(self.out).rstrip(" ")
        if not text:
            return
        have = len(text) - len(text.rstrip("\n"))
        self.out = [text + "\n" * max(0, lines - have)]

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("ul", "ol"):
            self._break(1 if self.lists else 2)
            self.lists.append([1] if tag == "ol" else [0])
        elif tag == "li":
            self._break(1)
            counter = self.lists[-1] if self.lists else [0]
            self.out.append("  " * max(0, len(self.lists) - 1) + (f"{counter[0]}. " if counter[0] else "- "))
            if counter[0]:
                counter[0] += 1
        elif tag in _BLOCKS:
            self._break(2)
        elif tag == "br":
            self.out.append("\n")
        elif tag == "a":
            self.href.append(dict(attrs).get("href") or "")
            self.link_text.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._break(1 if self.lists else 2)
        elif tag in _BLOCKS and tag != "li":
            self._break(2)
        elif tag == "a" and self.href:
            href, words = self.href.pop(), self.link_text.pop().strip()
            if href and href.removeprefix("mailto:") != words:
                self.out.append(f" ({href.removeprefix('mailto:')})")

    def handle_data(self, data: str) -> None:
        if not self.out or self.out[-1].endswith("\n"):
            data = data.lstrip("\n")  # the renderer's newline after a tag, not the writer's
            if not data.strip():
                return
        if self.link_text:
            self.link_text[-1] += data
        self.out.append(data)


def plain_text(text: str) -> str:
    """A Markdown note as plain text (for a vCard NOTE, an address book shows no markup): the same
    reading as ``render``, then only the words, line breaks and list marks are kept."""
    parser = _PlainText()
    parser.feed(render(text))
    parser.close()
    lines = [line.rstrip() for line in "".join(parser.out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
