"""A backup taken while Bihuan is being written to restores to the ledger exactly as one committed
step left it: every table, every file, and the audit chain up to that step."""


def test_a_backup_under_write_load_restores_the_ledger_as_one_step_left_it(make_instance, tmp_path):
    live = make_instance("live")
    live.workload("setup")
    archive = tmp_path / "backup.tar.gz"

    with live.writer() as writer:
        writer.wait_for(steps=5)
        before = writer.steps
        made = live.bihuan("backup", "--out", archive)
        during = writer.steps - before
        writer.wait_for(steps=writer.steps + 5)
    restored = make_instance("restored")
    result = restored.bihuan("restore", archive)

    assert made.returncode == 0, made.stderr
    assert result.returncode == 0, result.stderr
    assert during > 0, "the writer committed nothing while the backup ran"
    copy, final = restored.report(), live.report()
    # The copy holds a step taken after the backup started, and the writer went on after it.
    assert before <= copy["step"] < final["step"]
    # Every table (counts and a checksum of its rows) is what that step's transaction left.
    assert copy["tables"] == copy["step_tables"]
    # The audit chain is the live chain up to that step, then the restore's own entry.
    assert copy["audit"][:-1] == final["audit"][: len(copy["audit"]) - 1]
    assert copy["audit"][-1][1] == "restore"
    assert [entry[1] for entry in final["audit"]].count("backup") == 1
    # Every file the restored rows name is there, byte for byte the live one.
    restored_files = _files(restored.data_dir / "files")
    assert set(copy["files"]) <= set(restored_files)
    live_files = _files(live.data_dir / "files")
    assert all(live_files[name] == content for name, content in restored_files.items())
    assert (restored.data_dir / "secret_key").read_bytes() == (
        live.data_dir / "secret_key"
    ).read_bytes()
    verified = restored.bihuan("audit", "verify")
    assert verified.returncode == 0, verified.stderr


def _files(root) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }
