"""Pages of 查重: check a material again, and one source side by side with the material."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .dupcheck import match_visible, material_dupcheck
from .models import DuplicateMatch, Material
from .services import may_review


def _visible(request, pk: int) -> Material:
    return get_object_or_404(
        Material.objects.visible_to(request.user).select_related("author", "unit"), pk=pk
    )


@login_required
@require_POST
def material_recheck(request, pk: int):
    material = _visible(request, pk)
    if not may_review(material, request.user):
        messages.error(request, "只有材料作者或其单位的督查员可以重新查重。")
    else:
        check = material_dupcheck(material=material, by=request.user, now=timezone.now())
        messages.success(request, f"已重新查重：复制比 {check.copy_ratio:.1%}。")
    return redirect(reverse("materials:detail", args=[material.pk]) + "#dupcheck")


def _segments(text: str, marks: list[tuple[int, int, int]]) -> list[tuple[str, int | None]]:
    """`text` cut into (piece, passage number or None); overlapping marks keep the first."""
    pieces: list[tuple[str, int | None]] = []
    at = 0
    for start, end, number in sorted(marks):
        start = max(start, at)
        if end <= start:
            continue
        if start > at:
            pieces.append((text[at:start], None))
        pieces.append((text[start:end], number))
        at = end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


@login_required
@require_GET
def material_match(request, pk: int, match_pk: int):
    material = _visible(request, pk)
    match = get_object_or_404(
        DuplicateMatch.objects.select_related(
            "dupcheck", "source_material__unit", "source_material__author", "source_reference"
        ),
        pk=match_pk,
        dupcheck__material=material,
    )
    if not match_visible(match, request.user):
        raise Http404
    spans = [(number, *span) for number, span in enumerate(match.spans, start=1)]
    source = match.source
    return render(
        request,
        "materials/dupcheck_match.html",
        {
            "material": material,
            "match": match,
            "source": source,
            "percent": f"{match.overlap_chars / (match.dupcheck.chars or 1):.1%}",
            "mine": _segments(material.clean_text, [(s, e, n) for n, s, e, _, _ in spans]),
            "theirs": _segments(source.clean_text, [(s, e, n) for n, _, _, s, e in spans]),
        },
    )
