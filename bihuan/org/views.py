from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .models import ApiToken


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The user's own account; a POST issues a new API token, shown this once."""
    new_token = None
    if request.method == "POST":
        new_token = ApiToken.issue(user=request.user, now=timezone.now())
    has_token = new_token is not None or ApiToken.objects.filter(user=request.user).exists()
    return render(request, "org/profile.html", {"new_token": new_token, "has_token": has_token})
