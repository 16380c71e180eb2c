"""Admin pages that turn read-only, and say why, while what they show is in front of people.

An edit in the admin writes no event: the pages that show the row never hear of it, and the
log and the report lose it. So a row that people already see (an exercise in play, a scenario
version that exercises use) is shown read-only, with the reason, and changes go through the
services that log them. Each app says when its rows are read-only by giving
`read_only_reason`; the same rule refuses a form that would attach a new row to such an owner.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse

_CACHE = "_admin_read_only_reason"


class ReadOnlyReason:
    """The rule of one family of admin pages: why this row cannot be edited, or None."""

    def read_only_reason(self, obj: Model) -> str | None:
        raise NotImplementedError

    def reason_for(self, obj: Model | None) -> str | None:
        # Asked many times while one page renders (the form, each inline, each button); kept
        # per rule, as a form may hold rows that another family of pages guards.
        if obj is None:
            return None
        cache = obj.__dict__.setdefault(_CACHE, {})
        rule = type(self).read_only_reason
        if rule not in cache:
            cache[rule] = self.read_only_reason(obj)
        return cache[rule]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and not self.reason_for(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not self.reason_for(obj)


class GuardedInline(ReadOnlyReason):
    """An inline of a guarded page: no row added, changed or removed while its parent is
    read-only (Django passes the parent as `obj`)."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None) -> bool:
        return super().has_add_permission(request, obj) and not self.reason_for(obj)


class GuardedAdmin(ReadOnlyReason):
    """A model admin whose change page is read-only, with a notice saying why, while
    `read_only_reason` gives a reason; a save or delete is then refused (403)."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            reason = self.reason_for(obj)
            if reason:
                self.message_user(request, reason, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        reason_for = self.reason_for

        class Guarded(form):
            """Refuses a value that belongs to a read-only owner (a team of an exercise in
            play, an objective of a scenario version in use): the new row would show there."""

            def clean(self) -> dict[str, Any]:
                data = super().clean()
                for name, value in data.items():
                    for related in _instances(value):
                        reason = reason_for(related)
                        if reason:
                            raise ValidationError({name: reason})
                return data

        return Guarded


def _instances(value: Any) -> Iterable[Model]:
    if isinstance(value, Model):
        yield value
    elif isinstance(value, Iterable) and not isinstance(value, str | bytes | dict):
        yield from (item for item in value if isinstance(item, Model))


# The admin's own ModelAdmin and inlines, with the guard applied first.
class GuardedModelAdmin(GuardedAdmin, admin.ModelAdmin):
    pass


class GuardedTabularInline(GuardedInline, admin.TabularInline):
    pass


class GuardedStackedInline(GuardedInline, admin.StackedInline):
    pass
