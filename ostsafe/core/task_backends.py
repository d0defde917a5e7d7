"""A Tasks backend for a service with no worker (`make run`, development): each task runs in this process once the
transaction that enqueued it commits, as the database backend's worker would run it once the row is committed.
Production uses `django_tasks_db.DatabaseBackend` with `manage.py db_worker` (docs/architecture.md)."""

from django.db import transaction
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.utils import get_random_id


class AfterCommitBackend(ImmediateBackend):
    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(lambda: self._execute_task(result))
        return result
