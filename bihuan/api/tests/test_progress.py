from django.core.files.uploadedfile import SimpleUploadedFile

from bihuan.ledger.models import Evidence, Measure, Progress

JPEG = b"\xff\xd8\xff" + b"x" * 97


def photo(name="现场照片.jpg", content=JPEG):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_the_owner_posts_progress_with_evidence_and_downloads_it(api, world, in_progress):
    li = api(world.li)

    response = li.upload(
        f"/api/measures/{in_progress.pk}/progress",
        {"text": "已在大厅公示", "files": [photo(), photo("制度.pdf", b"%PDF-1.4")]},
    )

    assert response.status_code == 201
    progress = response.json()
    assert progress["text"] == "已在大厅公示"
    assert [(e["name"], e["size"]) for e in progress["evidence"]] == [
        ("现场照片.jpg", 100),
        ("制度.pdf", 8),
    ]
    download = li.get(progress["evidence"][0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == JPEG
    assert "attachment" in download["Content-Disposition"]
    assert Measure.objects.get(pk=in_progress.pk).last_feedback_at is not None


def test_progress_without_files_is_fine(api, world, in_progress):
    response = api(world.li).upload(f"/api/measures/{in_progress.pk}/progress", {"text": "推进中"})

    assert response.status_code == 201
    assert response.json()["evidence"] == []


def test_a_file_over_the_limit_is_refused_and_no_progress_is_written(
    api, world, in_progress, settings
):
    settings.BIHUAN_EVIDENCE_MAX_BYTES = 99

    response = api(world.li).upload(
        f"/api/measures/{in_progress.pk}/progress", {"text": "已公示", "files": [photo()]}
    )

    assert response.status_code == 400
    assert response.json()["field"] == "files"
    assert "现场照片.jpg" in response.json()["detail"]
    assert not Progress.objects.exists()
    assert not Evidence.objects.exists()


def test_a_file_of_an_unsupported_type_is_refused(api, world, in_progress):
    response = api(world.li).upload(
        f"/api/measures/{in_progress.pk}/progress",
        {"text": "已公示", "files": [photo("setup.exe", b"MZ")]},
    )

    assert response.status_code == 400
    assert response.json()["field"] == "files"
    assert not Progress.objects.exists()


def test_progress_needs_its_text(api, world, in_progress):
    missing = api(world.li).upload(f"/api/measures/{in_progress.pk}/progress", {})
    blank = api(world.li).upload(f"/api/measures/{in_progress.pk}/progress", {"text": " "})

    assert (missing.status_code, missing.json()["field"]) == (422, "text")
    assert (blank.status_code, blank.json()["field"]) == (400, "text")
    assert not Progress.objects.exists()


def test_only_the_owner_posts_progress(api, world, in_progress):
    response = api(world.zhou).upload(f"/api/measures/{in_progress.pk}/progress", {"text": "代报"})

    assert response.status_code == 403
    assert not Progress.objects.exists()


def test_progress_waits_for_acknowledgement(api, world, assigned):
    response = api(world.li).upload(f"/api/measures/{assigned.pk}/progress", {"text": "已公示"})

    assert response.status_code == 400
    assert response.json() == {"detail": "当前状态为“待签收”，不能反馈进展。", "field": "state"}
    assert not Progress.objects.exists()


def test_evidence_whose_file_is_gone_reads_as_missing(api, world, in_progress):
    li = api(world.li)
    posted = li.upload(
        f"/api/measures/{in_progress.pk}/progress", {"text": "已公示", "files": [photo()]}
    ).json()
    Evidence.objects.get().file.delete(save=False)

    assert li.get(posted["evidence"][0]["url"]).status_code == 404
