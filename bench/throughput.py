"""The bot beside a bare python-telegram-bot echo bot, on the same fake Bot API, in one run.

Each bot runs as its own process (python -m bot, and bench/echo_bot.py) against a fresh
fake Bot API (tests/fake_telegram.py) over real HTTP on 127.0.0.1, once with the overall
rate limiter (Telegram's ~30 messages/s) and once without. People type a question; the bot
answers it from the FAQ, the echo bot repeats it. Printed per bot and as ratios bot/echo:

- start-up: from starting the process to the answer to a message that was waiting;
- idle memory (resident set) after start-up, and idle CPU (ms on a CPU per second, all
  threads, over a few quiet seconds: the background work the bot does at rest);
- 1 person, then 20 people at once, each writing again as soon as answered: updates/s,
  p50/p99 latency (message sent → answer received by the API), CPU time per update;
- 25 updates/s offered by 20 people whatever the answers do: p50/p99 latency;
- duplicates: answers beyond one per message, over the whole run.

A third column runs the echo bot again, answering every message with the bot's own answer
(the same text, HTML and buttons): what the bare framework spends sending what this bot sends,
so the bot's own pipeline (inbox, FAQ, outbox) can be told apart from the size of its answer.

Run: python bench/throughput.py [--full]   (the default is a short run of about a minute)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_telegram import FakeTelegram  # noqa: E402
from tests.harness import bot_env  # noqa: E402

QUESTION = "who leads the AI strategy"
IDLE_SECONDS = 5.0
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Sizes:
    sequential: int
    concurrent_each: int
    offered_seconds: float


QUICK = Sizes(sequential=60, concurrent_each=10, offered_seconds=6.0)
FULL = Sizes(sequential=300, concurrent_each=40, offered_seconds=20.0)


class Watch:
    """Answers as the fake API receives them: per chat, the arrival time of each sendMessage."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.seen = 0
        self.answers: dict[int, list[float]] = defaultdict(list)

    def poll(self, timeout: float) -> None:
        cond = self.fake._cond
        with cond:
            if len(self.fake._requests) == self.seen:
                cond.wait(timeout)
            new = self.fake._requests[self.seen :]
            self.seen += len(new)
        for record in new:
            if record.method.lower() == "sendmessage":
                self.answers[int(record.params["chat_id"])].append(record.timestamp)


@dataclass
class Phase:
    updates: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds / self.updates * 1000 if self.updates else 0.0


@dataclass
class Result:
    startup: float = 0.0
    idle_mib: float = 0.0
    idle_cpu_ms: float = 0.0
    phases: dict[str, Phase] = field(default_factory=dict)
    duplicates: int = 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def on_cpu_seconds(pid: int) -> float:
    """Time all the process's threads spent on a CPU, in nanoseconds from the scheduler (the
    clock-tick counts of /proc/<pid>/stat are too coarse for a few idle seconds)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Load:
    def __init__(self, fake: FakeTelegram, watch: Watch) -> None:
        self.fake = fake
        self.watch = watch
        self.sent: dict[int, list[float]] = defaultdict(list)
        self.next_id = 100_000

    def people(self, count: int) -> list[int]:
        ids = []
        for _ in range(count):
            self.next_id += 1
            self.fake.user(self.next_id, language_code="en")
            ids.append(self.next_id)
        return ids

    def send(self, person: int) -> None:
        self.sent[person].append(time.time())
        self.fake._act(
            lambda world: world.post(world.require_user(person), person, {"text": QUESTION})
        )

    def answered(self, person: int) -> int:
        return len(self.watch.answers[person])

    def closed_loop(self, pid: int, count: int, each: int) -> Phase:
        persons = self.people(count)
        cpu0, t0 = cpu_seconds(pid), time.time()
        for person in persons:
            self.send(person)
        while any(self.answered(p) < each for p in persons):
            self.watch.poll(0.01)
            for person in persons:
                asked = len(self.sent[person])
                if self.answered(person) >= asked and asked < each:
                    self.send(person)
        return self.phase(persons, pid, cpu0, t0)

    def open_loop(self, pid: int, rate: float, seconds: float) -> Phase:
        persons = self.people(20)
        total = int(rate * seconds)
        cpu0, t0 = cpu_seconds(pid), time.time()
        for n in range(total):
            due = t0 + n / rate
            while time.time() < due:
                self.watch.poll(max(0.0, due - time.time()))
            self.send(persons[n % len(persons)])
        deadline = time.time() + 60
        while any(self.answered(p) < len(self.sent[p]) for p in persons) and time.time() < deadline:
            self.watch.poll(0.05)
        return self.phase(persons, pid, cpu0, t0)

    def phase(self, persons: list[int], pid: int, cpu0: float, t0: float) -> Phase:
        phase = Phase(cpu_seconds=cpu_seconds(pid) - cpu0)
        last = t0
        for person in persons:
            for sent, answered in zip(self.sent[person], self.watch.answers[person], strict=False):
                phase.latencies.append(answered - sent)
                last = max(last, answered)
            phase.updates += len(self.sent[person])
        phase.seconds = last - t0
        return phase


def run(kind: str, limited: bool, sizes: Sizes, folder: Path) -> Result:
    """kind: "bot", "echo", or "answer" (the echo bot sending the bot's answer, which the
    bot's run left in folder/answer.json)."""
    with FakeTelegram(token="123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz") as fake:
        watch = Watch(fake)
        load = Load(fake, watch)
        first = load.people(1)[0]
        load.send(first)  # waiting when the bot starts
        env = bot_env(
            fake,
            folder / f"{kind}-{int(limited)}.sqlite3",
            LOG_LEVEL="WARNING",
            FLOOD_LIMIT="100000",
            MESSAGES_PER_SECOND="30" if limited else "1000",
        )
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **env}
        if kind in ("echo", "answer"):
            env["ECHO_RATE_LIMITER"] = "1" if limited else "0"
            if kind == "answer":
                env["ECHO_ANSWER_FILE"] = str(folder / "answer.json")
            command = [sys.executable, str(ROOT / "bench" / "echo_bot.py")]
        else:
            command = [sys.executable, "-m", "bot"]
        result = Result()
        started = time.time()
        proc = subprocess.Popen(command, env=env, cwd=folder, stderr=subprocess.DEVNULL)
        try:
            while load.answered(first) < 1:
                watch.poll(0.01)
                if time.time() - started > 60:
                    raise RuntimeError(f"{kind} did not answer within 60 s")
            result.startup = watch.answers[first][0] - started
            time.sleep(1.0)
            result.idle_mib = rss_mib(proc.pid)
            before = on_cpu_seconds(proc.pid)
            time.sleep(IDLE_SECONDS)
            result.idle_cpu_ms = (on_cpu_seconds(proc.pid) - before) / IDLE_SECONDS * 1000
            result.phases["1 person"] = load.closed_loop(proc.pid, 1, sizes.sequential)
            result.phases["20 people"] = load.closed_loop(proc.pid, 20, sizes.concurrent_each)
            result.phases["25/s offered"] = load.open_loop(proc.pid, 25.0, sizes.offered_seconds)
            time.sleep(1.0)  # a late duplicate would show by now
            watch.poll(0.01)
            result.duplicates = sum(
                max(0, len(watch.answers[p]) - len(load.sent[p])) for p in load.sent
            )
            if kind == "bot":
                keep_answer(fake, folder / "answer.json")
        finally:
            proc.terminate()
            proc.wait(30)
        return result


def keep_answer(fake: FakeTelegram, path: Path) -> None:
    """The bot's first answer, for the echo bot to send in the third column."""
    first = next(r for r in fake.requests if r.method.lower() == "sendmessage")
    path.write_text(json.dumps(first.params, ensure_ascii=False), encoding="utf-8")


def report(limited: bool, bot: Result, echo: Result, same: Result) -> None:
    title = "with the overall limiter (30/s)" if limited else "without the overall limiter"
    print(f"\n== {title}")
    print(f"{'':30}{'bot':>11}{'echo bot':>11}{'ratio':>8}{'echo, same answer':>19}{'ratio':>8}")

    def line(name: str, a: float, b: float, c: float, unit: str, digits: int = 1) -> None:
        def ratio(x: float, y: float) -> str:
            return f"{x / y if y else float('nan'):>7.2f}x"

        print(
            f"{name:30}{a:>9.{digits}f}{unit:>2}{b:>9.{digits}f}{unit:>2}{ratio(a, b)}"
            f"{c:>17.{digits}f}{unit:>2}{ratio(a, c)}"
        )

    line("start-up to first answer", bot.startup, echo.startup, same.startup, "s", 2)
    line("idle memory (RSS)", bot.idle_mib, echo.idle_mib, same.idle_mib, "Mi", 0)
    print(
        f"{'idle CPU, ms per s':30}{bot.idle_cpu_ms:>11.1f}{echo.idle_cpu_ms:>11.1f}{'':>8}"
        f"{same.idle_cpu_ms:>19.1f}"
    )
    for name in bot.phases:
        a, b, c = bot.phases[name], echo.phases[name], same.phases[name]
        if name != "25/s offered":
            line(f"{name}: updates/s", a.rate, b.rate, c.rate, "")
        line(f"{name}: p50 latency", a.pct(0.5), b.pct(0.5), c.pct(0.5), "ms")
        line(f"{name}: p99 latency", a.pct(0.99), b.pct(0.99), c.pct(0.99), "ms")
        line(f"{name}: CPU per update", a.cpu_ms, b.cpu_ms, c.cpu_ms, "ms", 2)
    print(f"{'duplicates':30}{bot.duplicates:>11}{echo.duplicates:>11}{'':>8}{same.duplicates:>19}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="longer phases (a few minutes)")
    parser.add_argument("--limiter", choices=["both", "on", "off"], default="both")
    args = parser.parse_args()
    sizes = FULL if args.full else QUICK
    modes = {"both": [False, True], "on": [True], "off": [False]}[args.limiter]
    with tempfile.TemporaryDirectory() as tmp:
        for limited in modes:
            bot = run("bot", limited, sizes, Path(tmp))
            echo = run("echo", limited, sizes, Path(tmp))
            same = run("answer", limited, sizes, Path(tmp))
            report(limited, bot, echo, same)


if __name__ == "__main__":
    main()
