"""What the running bot keeps in memory: nothing loaded or started that it does not use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.harness import ROOT

# Everything `python -m bot` imports on its way to running the bot.
STARTUP_IMPORTS = "import bot.__main__, bot.runner, bot.app, bot.health, bot.intake"


def test_a_polling_bot_without_health_port_loads_no_web_server() -> None:
    # A fresh interpreter: the test process itself has long imported aiohttp's web server.
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{STARTUP_IMPORTS}; import json, sys;"
            " print(json.dumps(sorted(m for m in sys.modules if m.startswith('aiohttp'))))",
        ],
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    modules = json.loads(found.stdout)
    assert "aiohttp.client" in modules  # the calls to Telegram go through aiohttp's client
    assert [m for m in modules if m.startswith("aiohttp.web")] == []
