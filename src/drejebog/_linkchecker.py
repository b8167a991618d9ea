"""LinkChecker's own command line, minus its switch to the user ``nobody``.

Run as root, LinkChecker calls ``os.seteuid(nobody)`` before it loads its
plugins. In a checkout inside a private folder (``mktemp -d`` makes 0700
folders, and CI runs as root in such a clone) ``nobody`` cannot list the
plugin package, LinkChecker loads no plugins, and anchor checks are skipped
without a word: broken deep links would pass. The switch changes only the
effective uid (the real uid stays root), so it is no sandbox; this wrapper
skips it. The link check reads only our own locally served site and public
URLs.
"""

import sys

from linkcheck.command import linkchecker as command

command.drop_privileges = lambda: None

if __name__ == "__main__":
    sys.argv[0] = "linkchecker"
    sys.exit(command.linkchecker())
