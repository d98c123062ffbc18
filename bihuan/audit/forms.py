import datetime as dt

from django import forms
from django.utils import timezone

from bihuan.forms import StyledForm

from .models import AuditAction

# What an entry is about, for the filter; any other type still shows in the list.
OBJECT_TYPES = {
    "ledger.problem": "问题",
    "ledger.measure": "整改措施",
    "ledger.evidence": "佐证材料",
    "ledger.importbatch": "台账导入",
    "org.user": "账号",
    "org.rolegrant": "角色授予",
    "audit.auditentry": "审计日志",
}


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditFilterForm(StyledForm):
    since = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部"), *AuditAction.choices]
    )
    object_type = forms.ChoiceField(
        label="对象类型", required=False, choices=[("", "全部"), *OBJECT_TYPES.items()]
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("起始日期晚于截止日期。")
        return data

    def filters(self) -> dict:
        """Keyword arguments for `AuditEntry.objects.matching`; the end date is inclusive."""
        data = self.cleaned_data
        return {
            "since": local_midnight(data["since"]) if data.get("since") else None,
            "until": (
                local_midnight(data["until"] + dt.timedelta(days=1)) if data.get("until") else None
            ),
            "actor": data.get("actor", "").strip(),
            "action": data.get("action", ""),
            "object_type": data.get("object_type", ""),
        }
