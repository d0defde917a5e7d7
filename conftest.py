import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Password hashing is deliberately slow; tests only need it to be correct.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_axes_lockouts_between_tests(settings):
    settings.AXES_ENABLED = True


@pytest.fixture(autouse=True, scope="session")
def _static_files_looked_up_per_request():
    # WhiteNoise otherwise indexes every static file whenever a test client starts its middleware, once per test:
    # thousands of files each time. Looking files up per request serves the same files.
    from django.test.utils import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(autouse=True, scope="session")
def _background_work_runs_at_once():
    # Tests see a task's effect (an email in mail.outbox) when it is enqueued, inside the test's transaction, which
    # never commits. ostsafe/core/tests/test_background_work.py runs the database backend and its worker.
    from django.test.utils import override_settings

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        yield
