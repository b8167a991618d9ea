"""The site's own scripts and styles without their comments, for the built site.

The checklist is native ES modules, written to be read: about 40 % of their gzipped
bytes are comments. The build (the MkDocs hook's ``on_post_build``) removes comments
from the built copies, so a visitor downloads the code and the source keeps its
documentation. Runs of blanks outside strings shrink to one space or one line break (a
line break can end a JavaScript statement, so one is kept), and CSS keeps none next to
``{ } ; ,``. Nothing else changes: no renaming, no bundling; the built files stay native
modules that a browser runs as they are, and the source runs the same without this step.

The scanners know JavaScript's strings, template literals (with ``${...}`` nested to
any depth), regular-expression literals and comments, and CSS's strings and comments.
Input they cannot read to the end (an unclosed string or comment) is returned
unchanged rather than guessed at.
"""

from __future__ import annotations

from pathlib import Path

# After one of these characters (or at the start), "/" begins a regular expression;
# after an identifier, a number or a closing bracket it divides.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}
_REGEX_KEYWORDS = {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw"}
_REGEX_KEYWORDS |= {"case", "do", "else", "yield", "await"}


class _Unreadable(Exception):
    pass


def strip_js(source: str) -> str:
    """``source`` without comments (a ``// @ts-check`` line included)."""
    try:
        return _JsStripper(source).run()
    except _Unreadable:
        return source


def strip_css(source: str) -> str:
    """``source`` without ``/* comments */``; outside strings, a run of blanks becomes one
    space (or line break), and none is kept next to ``{``, ``}``, ``;`` or ``,`` or after
    ``:``; a block's last ``;`` goes."""
    out: list[str] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch in "\"'":
            end = _string_end(source, i)
            out.append(source[i:end])
            i = end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            if end < 0:
                return source
            i = end + 2
        elif ch.isspace():
            j = i
            while j < n and source[j].isspace():
                j += 1
            if not (out and out[-1] in _CSS_AFTER) and not source.startswith(_CSS_TIGHT, j):
                out.append("\n" if "\n" in source[i:j] else " ")
            i = j
        else:
            if ch == "}" and out and out[-1] == ";":
                out.pop()  # a block's last declaration needs no ";"
            out.append(ch)
            i += 1
    return _tidy("".join(out))


# Punctuation that needs no blank beside it (outside strings).
_CSS_TIGHT = ("{", "}", ";", ",")
# ... and after a colon (a declaration's or a media feature's; in a selector a blank after
# ":" would be invalid, and one before it, which matters, is kept).
_CSS_AFTER = (*_CSS_TIGHT, ":")


def _string_end(text: str, start: int) -> int:
    """The index after the string that starts at ``start`` (a quote)."""
    quote, i, n = text[start], start + 1, len(text)
    while i < n:
        if text[i] == "\\":
            i += 2
        elif text[i] == quote:
            return i + 1
        elif text[i] == "\n":
            raise _Unreadable
        else:
            i += 1
    raise _Unreadable


def _tidy(text: str) -> str:
    """Drop the lines that only held a comment, and trailing blanks."""
    lines = [line.rstrip() for line in text.split("\n")]
    kept = [line for line in lines if line]
    return "\n".join(kept) + "\n" if kept else ""


class _JsStripper:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0
        self.out: list[str] = []
        self.last = ""  # the last significant token's text (for "/": regex or division)

    def run(self) -> str:
        self.code(stop_at_brace=False)
        return "".join(self.out)

    def code(self, *, stop_at_brace: bool) -> None:
        s, n = self.s, len(self.s)
        depth = 0
        while self.i < n:
            ch = s[self.i]
            if s.startswith("//", self.i):
                end = s.find("\n", self.i)
                self.i = n if end < 0 else end
            elif s.startswith("/*", self.i):
                end = s.find("*/", self.i + 2)
                if end < 0:
                    raise _Unreadable
                self.i = end + 2
                self.blank(" ")
            elif ch in "\"'":
                end = _string_end(s, self.i)
                self.emit(s[self.i : end])
                self.i = end
            elif ch == "`":
                self.template()
            elif ch == "/" and self.regex_allowed():
                self.regex()
            elif ch == "{":
                depth += 1
                self.emit(ch)
                self.i += 1
            elif ch == "}":
                if stop_at_brace and depth == 0:
                    return
                depth -= 1
                self.emit(ch)
                self.i += 1
            elif ch.isspace():
                # A run of blanks is one space, or one line break if it holds one (a line
                # break can end a statement). Strings, templates and regexes keep theirs.
                j = self.i
                while j < n and s[j].isspace():
                    j += 1
                self.blank(s[self.i : j])
                self.i = j
            elif ch.isalnum() or ch in "_$":
                j = self.i
                while j < n and (s[j].isalnum() or s[j] in "_$."):
                    j += 1
                self.emit(s[self.i : j])
                self.i = j
            else:
                self.emit(ch)
                self.i += 1
        if stop_at_brace:
            raise _Unreadable

    def blank(self, text: str) -> None:
        """Blanks (or a comment) between tokens: one space, or one line break if any."""
        if self.out and self.out[-1] in (" ", "\n"):
            text = self.out.pop() + text
        self.out.append("\n" if "\n" in text else " ")

    def emit(self, token: str) -> None:
        self.out.append(token)
        self.last = token

    def regex_allowed(self) -> bool:
        last = self.last
        return last in _REGEX_AFTER or last in _REGEX_KEYWORDS

    def regex(self) -> None:
        s, n = self.s, len(self.s)
        i, in_class = self.i + 1, False
        while i < n:
            ch = s[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "\n":
                raise _Unreadable
            if in_class:
                in_class = ch != "]"
            elif ch == "[":
                in_class = True
            elif ch == "/":
                break
            i += 1
        else:
            raise _Unreadable
        i += 1
        while i < n and (s[i].isalnum()):
            i += 1  # flags
        self.emit(s[self.i : i])
        self.i = i

    def template(self) -> None:
        s, n = self.s, len(self.s)
        start = self.i
        self.i += 1
        parts: list[str] = ["`"]
        while self.i < n:
            ch = s[self.i]
            if ch == "\\":
                parts.append(s[self.i : self.i + 2])
                self.i += 2
            elif ch == "`":
                parts.append("`")
                self.i += 1
                self.out.append("".join(parts))
                self.last = "`"
                return
            elif s.startswith("${", self.i):
                parts.append("${")
                self.i += 2
                self.out.append("".join(parts))
                parts = []
                self.last = "{"
                self.code(stop_at_brace=True)
                parts.append("}")
                self.i += 1  # the closing brace
            else:
                parts.append(ch)
                self.i += 1
        self.i = start
        raise _Unreadable


def strip_own_assets(docs_dir: Path, site_dir: Path) -> list[tuple[str, int, int]]:
    """Strip the built copies of the site's own ``.js`` and ``.css`` files.

    Only files that come from ``docs_dir`` are touched (never the theme's). Returns
    (path relative to the site, bytes before, bytes after) for each file.
    """
    done = []
    for source in sorted(Path(docs_dir).rglob("*")):
        if source.suffix not in (".js", ".css") or not source.is_file():
            continue
        relative = source.relative_to(docs_dir)
        built = Path(site_dir) / relative
        if not built.is_file():
            continue  # excluded from the site
        text = built.read_text(encoding="utf-8")
        stripped = strip_js(text) if source.suffix == ".js" else strip_css(text)
        built.write_text(stripped, encoding="utf-8")
        done.append((relative.as_posix(), len(text.encode()), len(stripped.encode())))
    return done
