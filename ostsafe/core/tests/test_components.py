"""The GOV.UK components every page draws through (core/components/), drawn as GOV.UK Frontend expects."""

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_a_link_button_and_a_submit_button():
    link = render('{% govuk_button "Plan a visit" href="/plan/" variant="secondary" %}')
    assert link.strip() == (
        '<a href="/plan/" role="button" draggable="false" class="govuk-button govuk-button--secondary" '
        'data-module="govuk-button">Plan a visit</a>'
    )
    submit = render('{% govuk_button "Missed" name="outcome" value="missed" variant="warning" hidden=who %}', who="Jo")
    assert 'type="submit"' in submit and 'name="outcome" value="missed"' in submit
    assert '<span class="govuk-visually-hidden"> Jo</span>' in submit


def test_a_summary_row_escapes_what_it_is_given_and_keeps_the_markup_it_is_asked_for():
    html = render(
        '{% summary_row action_href="/edit/" %}Name{% row_value %}<b>{{ name }}</b>{% endsummary_row %}',
        name="<script>alert(1)</script>",
    )
    assert '<dt class="govuk-summary-list__key">Name</dt>' in html
    assert "<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>" in html
    assert '<a class="govuk-link" href="/edit/">Change<span class="govuk-visually-hidden"> name</span></a>' in html
    plain = render("{% summary_row %}Key{% row_value %}Value{% endsummary_row %}")
    assert "govuk-summary-list__row--no-actions" in plain


def test_a_summary_card_with_and_without_actions():
    card = render(
        '{% summary_card level=2 id="row-1" %}Title{% card_actions %}{% card_action "Change" "/c/" hidden="t" %}'
        "{% card_content %}Body{% endsummary_card %}"
    )
    assert '<div class="govuk-summary-card" id="row-1">' in card and "<h2" in card
    assert '<li class="govuk-summary-card__action"><a class="govuk-link" href="/c/">Change' in card
    bare = render("{% summary_card level=3 %}Title{% card_content %}Body{% endsummary_card %}")
    assert "govuk-summary-card__actions" not in bare and "<h3" in bare


def test_a_tag_is_govuk_frontends_markup_and_escapes_its_text():
    assert render('{% govuk_tag "Overdue" "red" %}') == '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    assert render('{% govuk_tag "Done" %}') == '<strong class="govuk-tag">Done</strong>'
    assert render("{% govuk_tag text %}", text="<b>x</b>") == '<strong class="govuk-tag">&lt;b&gt;x&lt;/b&gt;</strong>'
    assert render('{% govuk_tag "Seen" colour as tag %}[{{ tag }}]', colour="green") == (
        '[<strong class="govuk-tag govuk-tag--green">Seen</strong>]'
    )
