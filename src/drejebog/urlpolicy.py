"""One URL policy for every address the site links to or loads.

Used for the data's ``url`` fields (links, contacts) and for every ``href`` and
``src`` in the HTML rendered from the data's Markdown, so the rule is checked
on what the browser will get, not on the Markdown source:

* links may use ``https``, ``http`` (public hosts only), ``mailto`` (one plain
  address, nothing after it: a ``?bcc=`` would copy the mail to someone the
  reader cannot see) and ``tel``; in Markdown also addresses on the site itself
  (relative, ``#anchor``);
* images may only come from the site itself: an image from elsewhere would make
  every visitor's browser call that server;
* nothing may point at loopback, private, link-local or other non-public hosts,
  neither as an IP address nor as a local name such as ``localhost``.

Each check returns ``None`` or the reason in Danish, for a data error.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

MAX_LENGTH = 2000

# The forms the schema's url/email/phone definitions also describe (for editors).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TLD = re.compile(r"[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}")
_MAILTO = re.compile(r"mailto:[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9.-]{1,253}")
_TEL = re.compile(r"tel:\+?[0-9]{3,15}")
# Special-use and private-network names (RFC 6761, 6762, 8375 and common practice).
_LOCAL_SUFFIXES = (
    "localhost",
    "local",
    "internal",
    "intranet",
    "lan",
    "home",
    "corp",
    "home.arpa",
    "arpa",
    "test",
    "invalid",
    "example",
    "onion",
    "localdomain",
)

_ALLOWED_TEXT = "Brug https://, mailto: eller tel:"


def _bad_characters(url: str) -> str | None:
    if not url:
        return "adressen er tom"
    if len(url) > MAX_LENGTH:
        return f"adressen er længere end {MAX_LENGTH} tegn"
    # Browsers drop tabs and line breaks inside URLs and treat '\' as '/', which turns
    # harmless-looking text into another address ("java\nscript:", "\\\\host").
    for ch in url:
        if ch.isspace() or not ch.isprintable():
            return "adressen indeholder mellemrum eller usynlige tegn; skriv mellemrum som %20"
        if ch == "\\":
            return "adressen indeholder '\\'; brug '/'"
        if ord(ch) > 126:
            return "adressen indeholder tegn uden for ASCII (fx æ, ø, å); skriv dem som %-koder eller brug domænets xn--form"
    return None


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for an address on the public internet that a link may point at.

    An IPv4-mapped IPv6 address (``::ffff:a.b.c.d``) is judged as the IPv4
    address it is; other IPv6 forms that carry an IPv4 address (NAT64
    ``64:ff9b::/96``, 6to4 ``2002::/16``, Teredo) must be public themselves
    and carry only public IPv4 addresses.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public(ip.ipv4_mapped)
        embedded: list[ipaddress.IPv4Address] = []
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None:
            embedded.append(ip.sixtofour)
        if ip.teredo is not None:
            embedded.extend(ip.teredo)
        if not all(is_public(v4) for v4 in embedded) or ip.is_site_local:
            return False
    return bool(ip.is_global) and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def host_problem(host: str) -> str | None:
    """Why ``host`` (from an http(s) URL) is not a public host, or None."""
    if not host:
        return "adressen mangler et værtsnavn efter //"
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        ip = None
    if ip is not None:
        if not is_public(ip):
            return f"'{host}' er en lokal eller privat adresse, som ingen besøgende kan nå"
        return None
    name = host.lower().rstrip(".")
    labels = name.split(".")
    # A last label of digits (or 0x...) would make a browser read the host as an IPv4
    # number ("127.1", "0x7f.1"), so the last label must be letters.
    if (
        len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels[:-1])
        or not _TLD.fullmatch(labels[-1])
    ):
        return f"'{host}' er ikke et offentligt domænenavn som fx virk.dk"
    if any(name == suffix or name.endswith("." + suffix) for suffix in _LOCAL_SUFFIXES):
        return f"'{host}' er et lokalt navn, som ingen besøgende kan nå"
    return None


@lru_cache(maxsize=8192)
def link_problem(url: str, *, relative: bool = False) -> str | None:
    """Why ``url`` may not be a link target, or None (cached: a contact's addresses are on
    every card, and the pages' check reads them all again).

    ``relative`` allows addresses on the site itself (Markdown text); the data's
    ``url`` fields must be absolute.
    """
    bad = _bad_characters(url)
    if bad:
        return bad
    scheme = _SCHEME.match(url)
    if scheme is None:
        if url.startswith("//"):
            return "adressen mangler https: foran //"
        if relative:
            return None
        return f"adressen skal være fuld og begynde med https://. {_ALLOWED_TEXT}"
    name = scheme.group(0)[:-1].lower()
    if name in ("http", "https"):
        try:
            parts = urlsplit(url)
            port = parts.port  # raises on a port that is not a number
        except ValueError:
            return "adressen kan ikke læses (værtsnavn eller port er forkert)"
        if not url[len(name) + 1 :].startswith("//"):
            return f"skriv {name}:// foran værtsnavnet"
        if "@" in parts.netloc:
            return "adressen må ikke have et brugernavn før værtsnavnet (tegnet '@')"
        if port is not None and not 0 < port < 65536:
            return "porten i adressen er forkert"
        return host_problem(parts.hostname or "")
    if name == "mailto":
        if not url.startswith("mailto:") or not _MAILTO.fullmatch(url):
            return (
                "et mailto-link må kun indeholde én e-mailadresse og intet efter den "
                "(ingen ?, fx ?bcc=). Eksempel: mailto:plo@dadl.dk"
            )
        return host_problem(url.rsplit("@", 1)[1])
    if name == "tel":
        if not url.startswith("tel:") or not _TEL.fullmatch(url):
            return "et tel-link skal være tel: og cifre, fx tel:+4532685341"
        return None
    return f"adresser med '{name}:' er ikke tilladt. {_ALLOWED_TEXT}"


def image_problem(url: str) -> str | None:
    """Why ``url`` may not be an image source, or None: only the site's own files."""
    bad = _bad_characters(url)
    if bad:
        return bad
    if url.startswith("//") or _SCHEME.match(url):
        return (
            "billeder må kun komme fra siden selv; et billede fra en anden server ville "
            "hente noget fra den hos hver besøgende. Læg billedet i docs/ og brug en relativ adresse"
        )
    return None
