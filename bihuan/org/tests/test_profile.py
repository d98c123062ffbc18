from bihuan.org.models import ApiToken


def test_the_profile_page_issues_a_token_shown_once(client, world):
    client.force_login(world.li)
    page = client.post("/accounts/profile/")
    key = page.context["new_token"]
    assert key in page.text
    assert ApiToken.objects.user_for_key(key) == world.li

    again = client.get("/accounts/profile/")
    assert key not in again.text
    assert "您已有一个令牌" in again.text


def test_a_new_token_replaces_the_old_one(client, world):
    client.force_login(world.li)
    old = client.post("/accounts/profile/").context["new_token"]
    new = client.post("/accounts/profile/").context["new_token"]
    assert ApiToken.objects.user_for_key(old) is None
    assert ApiToken.objects.user_for_key(new) == world.li


def test_only_a_digest_of_the_token_is_stored(client, world):
    client.force_login(world.li)
    key = client.post("/accounts/profile/").context["new_token"]
    assert not ApiToken.objects.filter(digest=key).exists()


def test_a_deactivated_user_token_no_longer_works(world, now):
    key = ApiToken.issue(user=world.li, now=now)
    world.li.is_active = False
    world.li.save(update_fields=["is_active"])
    assert ApiToken.objects.user_for_key(key) is None
