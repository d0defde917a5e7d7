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


# Test modules name the day they run on as TODAY (`TODAY = datetime.date.today()`, read when the module is imported).
# A run that is collected before midnight and tests after it would compare yesterday with the service's today: a
# date "in the future" would be today and be accepted. Each test sees TODAY as the day it runs on.
_MODULES_NAMING_TODAY: set = set()


def pytest_itemcollected(item):
    # Called as each test is collected, just after its module was imported: the day it read is still today.
    from django.utils import timezone

    module = getattr(item, "module", None)
    if module is not None and getattr(module, "TODAY", None) == timezone.localdate():
        _MODULES_NAMING_TODAY.add(module)


@pytest.fixture(autouse=True)
def _today_is_the_day_the_test_runs(request):
    from django.utils import timezone

    module = getattr(request, "module", None)
    if module in _MODULES_NAMING_TODAY:
        module.TODAY = timezone.localdate()
