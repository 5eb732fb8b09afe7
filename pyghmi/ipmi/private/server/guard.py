"""The BMC side's login guard: a login rate per source address and a
lockout of user names after failed logins (both off unless configured:
``ServerConfig.login_rate``, ``lockout_threshold``, ``lockout_seconds``).

Pure and bounded: 4096 addresses and 4096 names at the most.
"""

from pyghmi.ipmi.private import lru

# The most user names whose failures are remembered at once.
MAX_NAMES = 4096


class LoginGuard:
    """Rate limit and lockout for one BMC (its config read on each use,
    so a change applies at once)."""

    def __init__(self, config):
        self.config = config
        self._buckets = lru.LRU(4096)     # source address -> (tokens, t)
        self._failures = {}       # user name -> (failures in a row, t)

    def rate_limited(self, peer, now):
        """True when ``peer``'s address exceeds the login rate (token
        bucket of ``login_rate`` per second, burst ``login_rate``)."""
        rate = self.config.login_rate
        if not rate:
            return False
        tokens, last = self._buckets.get(peer[0], (rate, now))
        tokens = min(rate, tokens + (now - last) * rate)
        if tokens < 1:
            self._buckets.put(peer[0], (tokens, now))
            return True
        self._buckets.put(peer[0], (tokens - 1, now))
        return False

    def locked(self, user, now):
        """True while ``user`` is locked out."""
        count, since = self._failures.get(user, (0, now))
        threshold = self.config.lockout_threshold
        if threshold and count >= threshold:
            if now - since < self.config.lockout_seconds:
                return True
            del self._failures[user]
        return False

    def failed(self, user, now):
        """Count a failed login of ``user``."""
        if self.config.lockout_threshold:
            count, _ = self._failures.get(user, (0, now))
            self._failures[user] = (count + 1, now)
            if len(self._failures) > MAX_NAMES:
                self._failures.pop(next(iter(self._failures)))

    def succeeded(self, user):
        """A login of ``user`` succeeded: its failures are forgotten."""
        self._failures.pop(user, None)
