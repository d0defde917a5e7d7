import pytest

from ostsafe.core.testing import build_world


@pytest.fixture
def world(db):
    return build_world()
