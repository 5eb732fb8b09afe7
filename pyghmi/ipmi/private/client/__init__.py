"""The client engine.

``core``: one RMCP+ (or IPMI 1.5) session as a sans-IO state machine,
fed datagrams and the time, leaving datagrams to send and deadlines;
``payloads`` (payloads such as SOL over a session), ``window``
(pipelining), ``suitememory`` (what each BMC accepted), ``chunked``
(reservations and chunked reads), ``rawresult`` (pyghmi's raw_command
result dicts).  ``session``: the driver of the core over the process's
I/O loop (the socket endpoint, logins shared by callers, the
thread-safe ``Session`` facade); ``localsession``: in-band IPMI.
May import: ``codec``, ``secure`` and the shared modules; never
``server``.
"""
