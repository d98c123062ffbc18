from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bihuan.ledger.models import Problem
from bihuan.materials.models import Material

from .materials_texts import ANALYSIS


def upload(client, world):
    client.force_login(world.sun)
    return client.post(
        reverse("materials:upload"),
        {
            "file": SimpleUploadedFile(
                "对照检查.txt", ANALYSIS.encode(), content_type="text/plain"
            ),
            "kind": "analysis",
            "author": world.sun.pk,
        },
    )


def test_upload_review_and_confirm_in_the_browser_flow(client, world):
    response = upload(client, world)
    material = Material.objects.get()
    assert response.url == reverse("materials:detail", args=[material.pk])

    page = client.get(response.url).content.decode()
    assert "清理后的全文" in page and "学习不够系统" in page and "确认转入整改台账" in page

    client.post(reverse("materials:confirm", args=[material.pk]), {"category": world.category.pk})

    assert Problem.objects.filter(person=world.sun).count() == 4
    problem = Problem.objects.first()
    ledger_page = client.get(reverse("ledger:problem_detail", args=[problem.pk])).content.decode()
    assert reverse("materials:detail", args=[material.pk]) in ledger_page


def test_a_material_of_another_township_is_not_found(client, world):
    upload(client, world)
    material = Material.objects.get()
    client.force_login(world.wang)

    assert client.get(reverse("materials:detail", args=[material.pk])).status_code == 404
    assert client.get(reverse("materials:file", args=[material.pk])).status_code == 404
    assert (
        client.post(
            reverse("materials:confirm", args=[material.pk]), {"category": world.category.pk}
        ).status_code
        == 404
    )
    assert Problem.objects.count() == 0


def test_the_original_file_downloads_as_an_attachment(client, world):
    upload(client, world)
    material = Material.objects.get()

    response = client.get(reverse("materials:file", args=[material.pk]))

    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == ANALYSIS.encode()
