"""The `bihuan` command: every subcommand is a Django management command.

`--data-dir DIR` is taken before Django reads its settings, since the settings put the
database and the secret key in that directory.
"""

import os
import secrets
import sys
from pathlib import Path
from typing import NoReturn

USAGE = """\
闭环 Bihuan — 问题整改与督查督办台账 / problem rectification ledger

用法 usage: bihuan [--data-dir DIR] <命令 command> [选项 options]

  quickstart [--port N] [--no-serve]   首次试用：建库、载入演示县、启动服务
                                       first run: set up, load the demo county, serve
  serve [--host H] [--port N] [--workers N]
                                       生产服务器 / production server (gunicorn)
  token USERNAME                       签发接口令牌 / issue an API token
  calendar list [YEAR] | add DATE holiday|workday [NAME] | remove DATE
                                       节假日与调休 / holidays and make-up workdays
  ledger import FILE [--dry-run] [--format json] [--as USER] [--map 写法=单位]
                                       导入 Excel/WPS/CSV 整改台账 / import a ledger workbook
  ledger export --out FILE.xlsx [--as USER] [--unit U] [--state S]
                                       导出整改台账 / export the ledger as .xlsx
  dupcheck [--against DIR] [--format json|text] FILE…
                                       查重：复制比、来源和重合段落 / copy check of files
  audit verify | export --out FILE.csv [--since DATE] | prune --before DATE
                                       审计日志：校验、导出、清理 / audit log: verify, export, prune
  escalate --as USER [--dry-run]       按规则升级逾期督办事项 / escalate late supervision items
  report notice|summary|ranking --period P [--unit U] [--as USER] --out FILE
                                       通报、整改落实情况报告、排名表 / notice, report, ranking
                                       P: 2026-11 | 2026-Q4 | 2026 | campaign-12（专项活动）
  report campaign-summary --campaign C --as USER --out FILE.docx|.xlsx
                                       活动总结及附件 / a campaign's summary and its annex
  remind [--now ISO] [--no-deliver]    定时提醒一轮并发送 / one pass of reminders, then send
  deliver [--once] [--interval S]      发送邮件和群机器人消息 / the message sender (a service)
  backup [--out FILE]                  在线备份 / online backup (database, files, secret key)
  restore FILE [--data-dir DIR]        恢复到空的数据目录 / restore into an empty data directory
  loaddemo                             向空库载入演示县 / load the demo into an empty database
  bench [--measures N] [--format json] [--database postgres://…]
                                       10 万条措施下的页面响应时间 / page latency at scale
  manage ...                           其他 Django 管理命令 / any Django management command
  help [COMMAND]                       命令帮助 / help on a command

数据目录 data directory: --data-dir 或 BIHUAN_DATA_DIR，默认 ./bihuan-data
"""

# Commands that also accept --data-dir after their name (they check it against the settings).
DATA_DIR_COMMANDS = frozenset({"quickstart", "serve", "loaddemo", "restore"})


class UsageError(Exception):
    pass


def _take_data_dir(args: list[str], *, keep: bool) -> list[str]:
    """Export BIHUAN_DATA_DIR from a `--data-dir DIR` in `args`; drop the option unless `keep`."""
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg == "--data-dir" or arg.startswith("--data-dir="):
            if arg == "--data-dir":
                if index + 1 >= len(args) or args[index + 1].startswith("-"):
                    raise UsageError("--data-dir 后面须写一个目录 / --data-dir needs a directory")
                value = args[index + 1]
                index += 2
            else:
                value = arg.partition("=")[2]
                index += 1
            if not value:
                raise UsageError("--data-dir 后面须写一个目录 / --data-dir needs a directory")
            os.environ["BIHUAN_DATA_DIR"] = value
            if keep:
                rest += ["--data-dir", value]
            continue
        rest.append(arg)
        index += 1
    return rest


def parse(argv: list[str]) -> list[str]:
    """The argv for Django: the global --data-dir taken out, `manage` unwrapped."""
    command_at = 0
    while command_at < len(argv) and argv[command_at].startswith("-"):
        command_at += 1 if argv[command_at] != "--data-dir" else 2
    leading = _take_data_dir(argv[:command_at], keep=False)
    if leading:
        if leading in (["-h"], ["--help"]):
            return []
        raise UsageError(f"未知选项 unknown option: {' '.join(leading)}")
    command, args = (
        (argv[command_at], argv[command_at + 1 :]) if command_at < len(argv) else ("", [])
    )
    if command == "manage":
        return ["bihuan manage", *args]
    if not command:
        return []
    return ["bihuan", command, *_take_data_dir(args, keep=command in DATA_DIR_COMMANDS)]


def check_data_dir(value: str | None) -> None:
    """For a command's own --data-dir: it must be the directory the settings were read with."""
    from django.conf import settings
    from django.core.management.base import CommandError

    if value and Path(value).resolve() != settings.DATA_DIR:
        raise CommandError(
            f"--data-dir 须在 Django 启动前给出：bihuan --data-dir {value} …"
            f"（当前数据目录为 {settings.DATA_DIR}）"
        )


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"bihuan: {message}\n")
    sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        django_argv = parse(argv)
    except UsageError as error:
        _fail(str(error))
    if not django_argv:
        sys.stdout.write(USAGE)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bihuan.settings")
    if django_argv[1:2] == ["restore"]:
        # The key comes from the archive: the settings must not write one into the empty target.
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    from bihuan.audit.context import command_line_context, set_context

    # Entries written by a command name the command line and the OS user as their source.
    set_context(command_line_context())
    try:
        execute_from_command_line(django_argv)
    except BrokenPipeError:
        # The reader (`| head`) went away; say nothing more on a closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except ImproperlyConfigured as error:
        _fail(f"配置有误 configuration error: {error}")
    except DatabaseError as error:
        from django.conf import settings

        if settings.DEBUG:
            raise
        first_line = (
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        )
        _fail(
            f"数据库出错 database error: {first_line}"
            "（数据库未初始化？请先运行 bihuan quickstart 或 bihuan manage migrate）"
        )


if __name__ == "__main__":
    main()
