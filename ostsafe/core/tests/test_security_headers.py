"""What every answer carries: no caching of families' records, a Content Security Policy, and nothing of the API's
shape for someone who has not signed in."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("families:household", args=[w.household.pk]),
        lambda w: reverse("families:caseload"),
        lambda w: reverse("household-detail", args=[w.household.pk]),
        lambda w: reverse("storage:leaflet_pdf"),
    ],
    ids=["household page", "caseload", "api", "pdf"],
)
def test_records_are_never_cached(client, world, url):
    client.force_login(world.users["keyworker"])
    response = client.get(url(world))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_sign_in_page_is_not_cached_either(client):
    assert client.get(reverse("accounts:login"))["Cache-Control"] == "no-store"


def test_static_assets_may_be_cached(client):
    response = client.get("/assets/ostsafe.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_pages_refuse_every_inline_script_and_carry_none(client, world):
    client.force_login(world.users["keyworker"])
    response = client.get(reverse("families:household", args=[world.household.pk]))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert script_src.strip() == "'self'"  # no 'unsafe-inline', no nonce, no 'unsafe-eval'
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    page = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []  # every script is a file of the service's own
    assert not re.search(r"\son[a-z]+=", page)  # nor an inline event handler


def test_api_schema_and_docs_are_closed_to_anonymous_callers(client):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code in (401, 403)
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 302 and reverse("accounts:login") in docs["Location"]


def test_api_docs_load_their_script_from_a_url_not_inline(client, world):
    client.force_login(world.users["keyworker"])
    html = client.get(reverse("api-docs")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_the_api_answers_json_only(client, world):
    client.force_login(world.users["keyworker"])
    response = client.get(reverse("service-user-list"), HTTP_ACCEPT="text/html")
    assert response.status_code == 406 or response["Content-Type"].startswith("application/json")
    assert "<form" not in response.content.decode()
