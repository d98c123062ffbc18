"""Virtual users for benchmarks/load.py: handlers, supervisors and leaders at work, and clients
that only page through the filtered ledger.

Run by load.py, which builds the ledger, starts `bihuan serve`, logs every account in through
the login form and passes the plan (accounts, their sessions and working sets) in
BIHUAN_LOAD_PLAN. A page that answers anything but 200, sends the user to the login page, or
shows a refusal counts as a failure.
"""

import itertools
import json
import os
import random
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, task
from requests.cookies import create_cookie

with open(os.environ["BIHUAN_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
# Each virtual user takes the next account of its role, so no two share one.
_NEXT = {role: itertools.count() for role in PLAN["accounts"]}
REFUSAL = "alert-danger alert-dismissible"
PROGRESS_TEXT = "已召开专题会议研究整改，完成阶段性任务"


class Person(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        accounts = PLAN["accounts"][self.role]
        self.account = dict(accounts[next(_NEXT[self.role]) % len(accounts)])
        for name, value in self.account["cookies"].items():
            self.client.cookiejar.set_cookie(create_cookie(name, value, domain=PLAN["host"]))
        self.csrf = self.account["cookies"]["csrftoken"]

    def page(self, path: str, name: str, params: dict | None = None) -> None:
        with self.client.get(
            path, params=params, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")

    def problem(self) -> None:
        if self.account["problems"]:
            pk = random.choice(self.account["problems"])
            self.page(f"/ledger/problems/{pk}/", "/ledger/problems/[id]/")

    def post(self, path: str, name: str, data: dict) -> None:
        """A form post, then the page it leads back to, as a browser sends and follows them."""
        body = urlencode({"csrfmiddlewaretoken": self.csrf, **data})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        with self.client.post(
            path, data=body, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            target = response.headers.get("Location", "")
            if response.status_code != 302 or not target.startswith("/ledger/problems/"):
                response.failure(f"{response.status_code} {target}")
                return
        with self.client.get(target, name=f"{name} → problem", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(str(response.status_code))
            elif REFUSAL in response.text:
                response.failure("refused: " + response.text.split(REFUSAL, 1)[1][:200])


class Handler(Person):
    """A township's or department's 承办人: the inbox, their measures, progress, 签收."""

    role = "handler"
    weight = 3

    @task(4)
    def inbox(self) -> None:
        self.page("/", "/ (inbox)")

    @task(3)
    def own_ledger(self) -> None:
        self.page("/ledger/", "/ledger/ (own)", {"state": random.choice(("", "in_progress"))})

    @task(2)
    def open_problem(self) -> None:
        self.problem()

    @task(1)
    def report_progress(self) -> None:
        if self.account["progress"]:
            pk = random.choice(self.account["progress"])
            path = f"/ledger/measures/{pk}/progress/"
            self.post(path, "/ledger/measures/[id]/progress/", {"text": PROGRESS_TEXT})

    @task(1)
    def acknowledge(self) -> None:
        if self.account["acknowledge"]:
            pk = self.account["acknowledge"].pop()
            self.post(
                f"/ledger/measures/{pk}/acknowledge/", "/ledger/measures/[id]/acknowledge/", {}
            )


class Supervisor(Person):
    """A 督查员: the ledger by every filter, problems, the API list, 销号."""

    role = "supervisor"
    weight = 1

    @task(5)
    def filtered_ledger(self) -> None:
        self.page("/ledger/", "/ledger/ (filtered)", ledger_filter())

    @task(2)
    def open_problem(self) -> None:
        self.problem()

    @task(2)
    def inbox(self) -> None:
        self.page("/", "/ (inbox)")

    @task(1)
    def api_list(self) -> None:
        self.page("/api/measures", "/api/measures", {"state": "in_progress"})

    @task(1)
    def keyword(self) -> None:
        self.page("/ledger/", "/ledger/ (keyword)", {"keyword": PLAN["keyword"]})

    @task(1)
    def close(self) -> None:
        if self.account["close"]:
            pk = self.account["close"].pop()
            data = {"comment": "整改到位，同意销号"}
            self.post(f"/ledger/measures/{pk}/close/", "/ledger/measures/[id]/close/", data)


class Leader(Person):
    """A 领导: the dashboard, what is overdue, a problem now and then."""

    role = "leader"
    weight = 1

    @task(3)
    def dashboard(self) -> None:
        self.page("/dashboard/", "/dashboard/")

    @task(2)
    def overdue(self) -> None:
        self.page("/ledger/", "/ledger/ (red)", {"light": "red"})

    @task(1)
    def open_problem(self) -> None:
        self.problem()


class ListClient(Person):
    """Pages through the filtered ledger list as fast as the server answers."""

    role = "supervisor"
    wait_time = constant(0)

    @task
    def filtered_ledger(self) -> None:
        self.page("/ledger/", "/ledger/ (filtered)", ledger_filter())


def ledger_filter() -> dict:
    unit = random.choice(PLAN["units"])
    return random.choice(
        (
            {"state": "in_progress"},
            {"light": "red"},
            {"light": "yellow"},
            {"unit": unit},
            {"unit": unit, "state": "in_progress"},
            {"state": "submitted", "page": random.randint(1, 3)},
        )
    )
