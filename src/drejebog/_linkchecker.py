"""LinkChecker's own command line, with four changes for the link check.

Run as ``python -m drejebog._linkchecker [LinkChecker's options] URL`` by
``drejebog.linkcheck.run_linkchecker``, which sets the environment variables
below. Everything here runs inside the LinkChecker process, so it sees every
connection LinkChecker makes, after DNS resolution and after redirects.

1. No switch to the user ``nobody``. Run as root, LinkChecker calls
   ``os.seteuid(nobody)`` before it loads its plugins. In a checkout inside a
   private folder (``mktemp -d`` makes 0700 folders, and CI runs as root in
   such a clone) ``nobody`` cannot list the plugin package, LinkChecker loads
   no plugins, and anchor checks are skipped without a word: broken deep
   links would pass. The switch changes only the effective uid (the real uid
   stays root), so it is no sandbox; this wrapper skips it.

2. Only public addresses. The data decides which hosts get a request, and a
   public host name can resolve, or redirect, to a private address. Every TCP
   connection (HTTP and HTTPS through urllib3, FTP through
   ``socket.create_connection``) is made by :meth:`Guard.connect`: it resolves
   the name itself, refuses every address that is not public (loopback,
   private, link-local, unspecified, multicast, reserved, shared, documentation;
   IPv4 and IPv6, including IPv4 addresses embedded in IPv6 ones, see
   :func:`drejebog.urlpolicy.is_public`) and connects to exactly the address it checked, so a
   second DNS answer cannot slip past. The only exceptions are the
   ``address:port`` pairs in ``$DREJEBOG_LINKCHECK_ALLOW``: the local site
   server, always added by ``run_linkchecker``, and, in tests only, fixture
   servers on 127.0.0.1 that stand in for external hosts. The data may only
   name public hosts, so the tests give their fixture servers public-looking
   names and map them to 127.0.0.1 with ``$DREJEBOG_LINKCHECK_RESOLVE``
   (``name=address`` pairs, like curl's ``--resolve``; a mapped address still
   has to be public or allowed). A refused URL gets
   the result ``drejebog-refused ADDRESS PORT``, which the report turns into a
   Danish reason. (An HTTP proxy from the environment would be checked like
   any host, so a proxy on a private address is refused too.)

3. A time limit per URL (``$DREJEBOG_LINKCHECK_URL_LIMIT`` seconds).
   LinkChecker's ``timeout`` bounds each socket operation, so a server that
   trickles a byte now and then keeps a check alive forever. Each check runs
   as a :class:`Job` with a deadline (counted from the end of LinkChecker's
   own pause between requests to one host); every socket it opens is registered (as
   a duplicate descriptor, which stays valid after TLS wraps the original) and
   a watchdog thread shuts them down at the deadline, which ends any blocked
   read, TLS handshakes included. The URL's result becomes
   ``drejebog-timeout url``. Connections are not kept alive from one URL to
   the next (each thread's request session is closed after each URL), so no
   URL can run on a socket registered to another.

4. A time limit for the whole run (``$DREJEBOG_LINKCHECK_RUN_LIMIT`` seconds).
   When it is reached, the watchdog empties LinkChecker's URL queue and shuts
   down the sockets of the checks still running (``drejebog-timeout run``), so
   LinkChecker finishes normally and writes its output; the process then exits
   with :data:`RUN_LIMIT_EXIT`. ``run_linkchecker`` kills the process if it
   is still running some time after that (a thread stuck outside a socket, in
   a DNS lookup for example) and reports what was written until then.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable

from .urlpolicy import is_public

ALLOW_ENV = "DREJEBOG_LINKCHECK_ALLOW"
RESOLVE_ENV = "DREJEBOG_LINKCHECK_RESOLVE"
URL_LIMIT_ENV = "DREJEBOG_LINKCHECK_URL_LIMIT"
RUN_LIMIT_ENV = "DREJEBOG_LINKCHECK_RUN_LIMIT"
DEFAULT_URL_LIMIT = 60.0
DEFAULT_RUN_LIMIT = 20 * 60.0
TIMEOUT_MARK = "drejebog-timeout"
REFUSED_MARK = "drejebog-refused"
RUN_LIMIT_EXIT = 3
WATCH_INTERVAL = 0.2
QUEUE_POLL = 0.1

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_allow(text: str) -> set[tuple[Address, int]]:
    """``"127.0.0.1:8000 [::1]:8001"`` (spaces or commas) -> {(address, port)}.

    Only literal addresses with a port: an allowance is for one server, never
    a host name or a whole network.
    """
    allowed: set[tuple[Address, int]] = set()
    for item in text.replace(",", " ").split():
        host, sep, port = item.rpartition(":")
        try:
            if not sep or not port.isdigit():
                raise ValueError
            allowed.add((_plain(ipaddress.ip_address(host.strip("[]"))), int(port)))
        except ValueError:
            raise ValueError(f"{ALLOW_ENV}: {item!r} is not ADDRESS:PORT") from None
    return allowed


def parse_resolve(text: str) -> dict[str, Address]:
    """``"fixture.example.org=127.0.0.1"`` (spaces or commas) -> {name: address}: for tests."""
    resolve: dict[str, Address] = {}
    for item in text.replace(",", " ").split():
        name, sep, address = item.partition("=")
        try:
            if not sep or not name:
                raise ValueError
            resolve[name.lower()] = _plain(ipaddress.ip_address(address.strip("[]")))
        except ValueError:
            raise ValueError(f"{RESOLVE_ENV}: {item!r} is not NAME=ADDRESS") from None
    return resolve


def _plain(ip: Address) -> Address:
    """An IPv4-mapped IPv6 address as the IPv4 address it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


class AddressRefused(ConnectionRefusedError):
    """Raised instead of connecting to an address that is not public."""


class DeadlinePassed(TimeoutError):
    """Raised instead of connecting once the URL's or the run's time is up."""


class Job:
    """One URL check on one thread: its deadline and the sockets it opened."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.sockets: list[socket.socket] = []  # duplicates, owned by the job
        self.expired: str | None = None  # "url" or "run" once the time is up
        self.refused: tuple[Address, int] | None = None


class Guard:
    """Connection policy and deadlines, shared by all checker threads."""

    def __init__(
        self,
        allow: Iterable[tuple[Address, int]],
        url_limit: float,
        run_limit: float,
        clock: Callable[[], float] = time.monotonic,
        resolve: dict[str, Address] | None = None,
    ) -> None:
        self.allow = {(_plain(ip), port) for ip, port in allow}
        self.resolve = resolve or {}
        self.url_limit = url_limit
        self.clock = clock
        self.run_deadline = clock() + run_limit
        self.run_expired = False
        self.aggregate = None  # LinkChecker's Aggregate, for emptying its queue
        self._cancelled = False
        self._jobs: dict[int, Job] = {}
        self._lock = threading.Lock()

    def allowed(self, ip: Address, port: int) -> bool:
        ip = _plain(ip)
        return (ip, port) in self.allow or is_public(ip)

    # --- jobs ---------------------------------------------------------------

    def begin(self) -> Job:
        job = Job(self.clock() + self.url_limit)
        with self._lock:
            if self.run_expired:
                job.expired = "run"
            self._jobs[threading.get_ident()] = job
        return job

    def end(self, job: Job) -> None:
        with self._lock:
            if self._jobs.get(threading.get_ident()) is job:
                del self._jobs[threading.get_ident()]
            sockets, job.sockets = job.sockets, []
        for sock in sockets:
            sock.close()

    def current(self) -> Job | None:
        return self._jobs.get(threading.get_ident())

    def restart(self) -> None:
        """Start the current job's clock again (after LinkChecker's own wait
        between requests to one host, which is no fault of the server)."""
        with self._lock:
            job = self._jobs.get(threading.get_ident())
            if job is not None and job.expired is None:
                job.deadline = self.clock() + self.url_limit

    def _register(self, job: Job, sock: socket.socket) -> None:
        with self._lock:
            if job.expired:
                raise DeadlinePassed(f"time limit ({job.expired}) reached")
            job.sockets.append(sock.dup())

    # --- the watchdog -------------------------------------------------------

    def tick(self) -> None:
        """One round of the watchdog: end what is past its time."""
        now = self.clock()
        with self._lock:
            run_over = now >= self.run_deadline
            if run_over:
                self.run_expired = True
            for job in self._jobs.values():
                if job.expired is None and (run_over or now >= job.deadline):
                    job.expired = "url" if now >= job.deadline else "run"
                    for sock in job.sockets:
                        _shutdown(sock)
            cancel = run_over and self.aggregate is not None and not self._cancelled
            if cancel:
                self._cancelled = True
        if cancel:
            # cancel() empties the queue, so no new checks start; LinkChecker's
            # own failure here must not stop the watchdog.
            with contextlib.suppress(Exception):
                self.aggregate.cancel()

    def watch(self) -> None:
        stop = threading.Event()
        while not stop.wait(WATCH_INTERVAL):
            self.tick()

    # --- connections --------------------------------------------------------

    def connect(
        self,
        address: tuple,
        timeout: float | None = None,
        source_address: tuple | None = None,
        socket_options: Iterable | None = None,
        family: int = socket.AF_UNSPEC,
    ) -> socket.socket:
        """``socket.create_connection`` with the address policy and the deadline.

        ``timeout=None`` leaves the socket's default timeout alone.
        """
        host, port = address[0], address[1]
        if host.startswith("["):
            host = host.strip("[]")
        job = self.current()
        error: OSError | None = None
        refused: tuple[Address, int] | None = None
        for af, kind, proto, _name, sockaddr in self.addresses(host, port, family):
            ip = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
            if not self.allowed(ip, sockaddr[1]):
                refused = refused or (_plain(ip), sockaddr[1])
                continue
            sock = socket.socket(af, kind, proto)
            try:
                for option in socket_options or ():
                    sock.setsockopt(*option)
                limit = timeout
                if job is not None:
                    self._register(job, sock)
                    remaining = max(job.deadline - self.clock(), 0.01)
                    limit = remaining if limit is None else min(limit, remaining)
                if limit is not None:
                    sock.settimeout(limit)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                sock.settimeout(timeout if timeout is not None else socket.getdefaulttimeout())
                return sock
            except OSError as exc:
                error = exc
                sock.close()
                if isinstance(exc, DeadlinePassed):
                    raise
        if error is not None:
            raise error
        if refused is not None:
            if job is not None:
                job.refused = refused
            raise AddressRefused(
                f"{refused[0]} port {refused[1]} is not a public address; not connecting"
            )
        raise OSError(f"getaddrinfo returned nothing for {host!r}")

    def addresses(self, host: str, port: int, family: int) -> list[tuple]:
        """``getaddrinfo``, or the test mapping of ``host`` when it has one."""
        mapped = self.resolve.get(host.lower().rstrip("."))
        if mapped is None:
            return socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
        af = socket.AF_INET6 if mapped.version == 6 else socket.AF_INET
        return [(af, socket.SOCK_STREAM, 0, "", (str(mapped), int(port)))]


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _seconds(name: str, default: float) -> float:
    value = float(os.environ.get(name) or default)
    if not value > 0:
        raise ValueError(f"{name} must be a positive number of seconds")
    return value


def install(guard: Guard) -> None:
    """Route LinkChecker's connections and URL checks through ``guard``."""
    import urllib3.util.connection
    from linkcheck.checker.urlbase import UrlBase
    from linkcheck.command import linkchecker as command
    from linkcheck.director import checker
    from linkcheck.director.aggregator import Aggregate

    command.drop_privileges = lambda: None
    # LinkChecker's threads wait up to this long for the next URL, and the run
    # ends only when each has noticed the empty queue: a second at the end of
    # every run, which adds up in the tests. Checking URLs is not slowed.
    checker.QUEUE_POLL_INTERVALL_SECS = QUEUE_POLL

    _DEFAULT = urllib3.util.connection._DEFAULT_TIMEOUT

    def urllib3_connection(address, timeout=_DEFAULT, source_address=None, socket_options=None):
        return guard.connect(
            address,
            None if timeout is _DEFAULT else timeout,
            source_address,
            socket_options,
            urllib3.util.connection.allowed_gai_family(),
        )

    def socket_connection(
        address,
        timeout=socket._GLOBAL_DEFAULT_TIMEOUT,
        source_address=None,
        *,
        all_errors=False,
    ):
        return guard.connect(
            address, None if timeout is socket._GLOBAL_DEFAULT_TIMEOUT else timeout, source_address
        )

    urllib3.util.connection.create_connection = urllib3_connection
    socket.create_connection = socket_connection

    check_url = checker.check_url

    def check_url_with_deadline(url_data, logger):
        job = guard.begin()
        try:
            check_url(url_data, logger)
        finally:
            session = url_data.aggregate.request_sessions.get(threading.get_ident())
            if session is not None:
                session.close()  # no keep-alive socket outlives its job
            guard.end(job)

    checker.check_url = check_url_with_deadline

    to_wire = UrlBase.to_wire

    def to_wire_with_marks(self):
        job = guard.current()
        if job is not None and job.expired:
            self.set_result(f"{TIMEOUT_MARK} {job.expired}", valid=False, overwrite=True)
        elif job is not None and job.refused and not self.valid:
            ip, port = job.refused
            self.set_result(f"{REFUSED_MARK} {ip} {port}", valid=False, overwrite=True)
        return to_wire(self)

    UrlBase.to_wire = to_wire_with_marks

    wait_for_host = Aggregate.wait_for_host

    def wait_for_host_then_start_the_clock(self, host):
        wait_for_host(self, host)
        guard.restart()

    Aggregate.wait_for_host = wait_for_host_then_start_the_clock

    get_aggregate = command.get_aggregate

    def get_aggregate_and_keep_it(config):
        guard.aggregate = get_aggregate(config)
        return guard.aggregate

    command.get_aggregate = get_aggregate_and_keep_it


def main() -> int:
    guard = Guard(
        parse_allow(os.environ.get(ALLOW_ENV, "")),
        _seconds(URL_LIMIT_ENV, DEFAULT_URL_LIMIT),
        _seconds(RUN_LIMIT_ENV, DEFAULT_RUN_LIMIT),
        resolve=parse_resolve(os.environ.get(RESOLVE_ENV, "")),
    )
    install(guard)
    threading.Thread(target=guard.watch, name="drejebog-watchdog", daemon=True).start()
    from linkcheck.command import linkchecker as command

    sys.argv[0] = "linkchecker"
    try:
        code = command.linkchecker()
    except SystemExit as exc:
        code = exc.code
    if guard.run_expired:
        print(
            "drejebog: the run's time limit was reached; the output is incomplete", file=sys.stderr
        )
        return RUN_LIMIT_EXIT
    return code if isinstance(code, int) else (0 if code is None else 2)


if __name__ == "__main__":
    sys.exit(main())
