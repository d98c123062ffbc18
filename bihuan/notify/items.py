"""What notify knows of an item: any concrete model extending `workflow.models.Tracked` that
has `get_absolute_url`. Measures are one; supervision items join by existing."""

from django.apps import apps
from django.conf import settings
from django.utils.text import Truncator

from bihuan.workflow.models import Tracked
from bihuan.workflow.states import State

# An urge or a reminder asks the owner to act, which they can while the item is theirs.
URGEABLE_STATES = (State.PENDING, State.IN_PROGRESS)


def tracked_models() -> list[type[Tracked]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Tracked) and hasattr(model, "get_absolute_url")
    ]


def tracked_model(label: str) -> type[Tracked] | None:
    """The model named `app_label.model_name`, if it is a tracked one."""
    return next((model for model in tracked_models() if model._meta.label_lower == label), None)


def item_label(item: Tracked) -> str:
    """整改措施“建立首问负责制并公示”: the kind of item and the start of its text."""
    return f"{item._meta.verbose_name}“{Truncator(str(item)).chars(30)}”"


def absolute_url(path: str) -> str:
    return f"{settings.BIHUAN_BASE_URL}{path}"
