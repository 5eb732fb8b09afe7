"""The state the parts of a client core share, declared once.

:class:`~pyghmi.ipmi.private.client.core.ClientCore` is built from
parts (:mod:`.login`, :mod:`.scheduler`, :mod:`.payloads`) that work on
one session's state.  This base names that state and the methods the
parts call on one another, with their types, so that each part is
checked on its own; ``ClientCore.__init__`` sets the values.
"""

import typing
from typing import Any, Callable, Deque, Dict, List, Optional


class CoreFields:
    """Types of the fields and cross-part methods of a client core."""

    # a process holds thousands of sessions: no per-instance dict (it
    # was a third of a session's memory); every field of a core is here
    __slots__ = (
        '_auth_retried', '_bmc_answered', '_bmc_sid', '_candidates',
        '_first_contact_end', '_flight', '_hint', '_last_activity', '_login',
        '_login_budget', '_login_deadline', '_packets', '_privs', '_queue',
        '_restarts', '_rng', '_rqseq', '_slot_waits', '_step_attempts',
        '_step_give_up', '_step_packet', '_step_sent_at', '_suites_confirmed',
        '_v15_auth', 'bmc_guid', 'deadline', 'dropped', 'ipmi_version',
        'keepalives', 'last_error', 'local_sid', 'logins', 'on_closed',
        'on_login', 'outbox', 'packets_sent', 'params', 'payload_sinks',
        'privlevel', 'retransmits', 'rto', 'sid_source', 'state', 'suite',
        'window')

    # given
    params: Any                     # LoginParams
    local_sid: int
    sid_source: Callable[[], int]
    _rng: Callable[[int], bytes]
    # what the driver reads
    state: Any                      # states.State
    outbox: List[Any]
    deadline: Optional[float]
    dropped: typing.Counter[str]
    packets_sent: int
    retransmits: int
    logins: int
    on_login: Optional[Callable[[Any], None]]
    on_closed: Optional[Callable[[], None]]
    suite: Optional[int]
    ipmi_version: Optional[float]
    privlevel: Optional[int]
    bmc_guid: Any
    last_error: Optional[Exception]
    # the session
    _packets: Any                   # SessionPackets or V15Packets
    _bmc_sid: int
    _last_activity: float
    # the login (login.py)
    _login: Any                     # login.LoginState
    _hint: Optional[int]
    _candidates: List[int]
    _privs: List[int]
    _v15_auth: tuple
    _step_packet: Any
    _step_attempts: int
    _step_sent_at: Optional[float]
    _step_give_up: float
    _first_contact_end: float
    rto: Any                        # request.RetransmitTimer
    _restarts: int
    _slot_waits: int
    _auth_retried: bool
    _suites_confirmed: bool
    _bmc_answered: bool
    _login_deadline: Optional[float]
    _login_budget: float
    # the scheduler (scheduler.py)
    _queue: Deque[Any]
    _flight: Dict[int, Any]
    _rqseq: int
    window: Any
    keepalives: dict
    # methods one part calls on another
    login: Callable[..., None]
    close: Callable[..., None]
    _set_deadline: Callable[..., None]
    _reset_session: Callable[[], None]
    _pump: Callable[..., None]
    _start_request: Callable[..., None]
    _next_rqseq: Callable[[], int]
    _fail_queue: Callable[..., None]
    _restart_step: Callable[..., bool]
    _close_abandoned: Callable[[], None]
    _login_failed: Callable[..., None]

    @property
    def active(self) -> bool:
        """Whether the session is usable (the core's)."""
        raise NotImplementedError
