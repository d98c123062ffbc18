"""What every HTML view does with a domain call: validate, call once, report in Chinese."""

from django.contrib import messages

from bihuan.errors import DomainError


def form_errors(form) -> str:
    """A form's errors as one message line, each named by its field's label."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        parts.append(f"{label}：{' '.join(errors)}" if label else " ".join(errors))
    return "；".join(parts)


def report(request, error: DomainError, form=None) -> None:
    """Show a domain refusal on the form field it concerns, or as a page message."""
    if form is not None and error.field in form.fields:
        form.add_error(error.field, error.message)
    elif form is not None:
        form.add_error(None, error.message)
    else:
        messages.error(request, error.message)


def act(request, form, call, success: str) -> None:
    """Validate the posted form (None: nothing to validate), make one domain call with its
    data, and leave the outcome as a page message for the redirect that follows."""
    if form is not None and not form.is_valid():
        messages.error(request, form_errors(form))
        return
    try:
        call(form.cleaned_data if form is not None else {})
    except DomainError as error:
        report(request, error)
    else:
        messages.success(request, success)
