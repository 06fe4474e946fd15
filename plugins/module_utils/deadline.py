# Copyright (c) 2026, lbaas.elb contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one time budget of a task, and every pause taken within it: retry backoff and polling
(no Ansible imports)."""

from __future__ import annotations

import random
import time

from .errors import ElbError, ElbTimeoutError

BACKOFF_BASE = 0.2
BACKOFF_CAP = 5.0
# Below this much time left, another attempt is not worth making: the deadline has come.
LAST_TRY_MINIMUM = 0.1
# Polling: 0.05 s, growing by half each time (0.05, 0.075, 0.11, 0.17, ...), at most 0.5 s apart while the
# wait is young (ELB and Octavia settle most member writes within seconds), and at most 2 s apart after
# POLL_EARLY_SECONDS, so a long wait costs one GET per 2 s.
POLL_FIRST = 0.05
POLL_GROWTH = 1.5
POLL_EARLY_CAP = 0.5
POLL_EARLY_SECONDS = 10.0
POLL_CAP = 2.0


def poll_delay(previous, waited):
    """The pause after ``previous``, once a poll has waited ``waited`` seconds."""
    cap = POLL_EARLY_CAP if waited < POLL_EARLY_SECONDS else POLL_CAP
    return min(cap, previous * POLL_GROWTH)


class Deadline:
    """The single time budget of a task (the module's ``timeout``), and the pauses taken within it."""

    def __init__(self, timeout):
        self.timeout = timeout
        self.start = time.monotonic()

    def elapsed(self):
        return time.monotonic() - self.start

    def remaining(self):
        return self.timeout - self.elapsed()

    def backoff(self, attempt, waiting_for, last, retry_after=None):
        """Sleep before retry number ``attempt`` (exponential, full jitter; at least ``retry_after``),
        or raise ElbTimeoutError when the deadline would pass first."""
        jitter = random.random()  # noqa: S311  # a pause between retries, not cryptography
        delay = jitter * min(BACKOFF_CAP, BACKOFF_BASE * (2 ** min(attempt - 1, 16)))
        if retry_after is not None:
            # The server asked for this pause: retrying sooner would only meet the same answer.
            if retry_after >= self.remaining():
                raise self.timeout_error(waiting_for, last)
            delay = max(delay, retry_after)
        self._sleep_within(delay, waiting_for, last)

    def timeout_error(self, waiting_for, last):
        if isinstance(last, ElbError):
            answer = last.message
        elif hasattr(last, "describe"):  # an ElbResponse
            answer = last.describe()
        else:
            answer = last
        last_error = last if isinstance(last, ElbError) else None
        return ElbTimeoutError(waiting_for, self.elapsed(), answer, timeout=self.timeout, last_error=last_error)

    def poll(self, check, waiting_for, *, first_delay=POLL_FIRST, check_first=True, last=None):
        """Call ``check()`` -> ``(done, value, last_answer)`` until done; returns value.

        Sleeps ``first_delay``, growing by POLL_GROWTH, between checks (see ``poll_delay``), never past
        the deadline. ``last`` is the answer reported if the deadline passes before the first check.
        """
        started = time.monotonic()
        delay = first_delay
        check_now = check_first
        while True:
            if check_now:
                done, value, last = check()
                if done:
                    return value
            check_now = True
            self._sleep_within(delay, waiting_for, last)
            delay = poll_delay(delay, time.monotonic() - started)

    def _sleep_within(self, delay, waiting_for, last):
        # Use the whole budget: when the next pause would cross the deadline, shorten it and try
        # once more, unless too little time is left for that try to mean anything.
        # (A shortened pause leaves exactly LAST_TRY_MINIMUM; the margin makes that the last try.)
        remaining = self.remaining()
        if remaining <= LAST_TRY_MINIMUM * 1.5:
            raise self.timeout_error(waiting_for, last)
        time.sleep(min(delay, remaining - LAST_TRY_MINIMUM))
