"""The `{% url %}` tag, Django's own, with links to record ids built by `ostsafe.core.links` (the same text, without
the URL resolver on every row of a list). Installed as a template builtin (settings.TEMPLATES), so every template's
`{% url %}` is this one; anything but positional record ids goes to Django's tag unchanged."""

from django import template
from django.template import defaulttags
from django.utils.html import conditional_escape

from ostsafe.core.links import is_id, join_ids, link_template

register = template.Library()


class URLNode(defaulttags.URLNode):
    def render(self, context):
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        if not all(is_id(value) for value in args):
            return super().render(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        pieces = link_template(self.view_name.resolve(context), len(args), current_app)
        if pieces is None:
            return super().render(context)
        url = join_ids(pieces, args)
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
