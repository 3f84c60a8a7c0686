"""Markdown notes rendered to HTML, sanitised: only harmless tags, links made safe."""

import markdown as md
import nh3

_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4"}


def render(text: str) -> str:
    html = md.markdown(text, extensions=["sane_lists"])
    return nh3.clean(html, tags=_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow")
