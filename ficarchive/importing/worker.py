"""Who runs the queued tasks: a thread of `ficarchive serve`, or `ficarchive worker` processes.

Both are django-tasks-db's worker loop over the database queue, which claims each task in a
transaction of its own (a row lock on PostgreSQL, an exclusive transaction on SQLite), so any
number of threads and processes on any number of hosts can share one queue.
FICARCHIVE_WORKER (settings.TASK_WORKER) says whether `serve` starts its thread.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

log = logging.getLogger("ficarchive.worker")
RESTART_AFTER = 5.0  # seconds before a worker loop that crashed (a lost database) starts again


def worker_id(role: str) -> str:
    """Unique across the pool (the queue records who ran what): host, process, role."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{role}"[:64]


def make_worker(*, batch: bool = False, interval: float = 1.0, role: str = "worker"):
    """django-tasks-db's worker for every queue of the default backend."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id(role),
    )


def run_pending() -> None:
    """Run every task ready now in this thread, then return (tests, `ficarchive worker --batch`)."""
    make_worker(batch=True, interval=0, role="batch").run()


class InProcessWorker:
    """A daemon thread running queued tasks while the process lives (`ficarchive serve`).

    A task it was running when the process stops stays marked running in the queue.
    """

    def __init__(self, interval: float = 1.0):
        self.interval = interval
        self.stopping = threading.Event()
        self.current = None
        self.thread = threading.Thread(target=self._loop, name="ficarchive-worker", daemon=True)

    def start(self) -> InProcessWorker:
        self.thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the task running now (if any)."""
        self.stopping.set()
        if self.current is not None:
            self.current.running = False
        self.thread.join(timeout)

    def _loop(self) -> None:
        from django.db import connection

        try:
            while not self.stopping.is_set():
                self.current = make_worker(interval=self.interval, role="serve")
                if self.stopping.is_set():
                    break
                try:
                    self.current.run()
                except Exception:
                    log.exception("the in-process worker stopped; again in %ss", RESTART_AFTER)
                    connection.close()
                    self.stopping.wait(RESTART_AFTER)
        finally:
            connection.close()


def start_in_process(interval: float = 1.0) -> InProcessWorker:
    return InProcessWorker(interval).start()
