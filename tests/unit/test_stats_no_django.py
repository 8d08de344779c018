"""cradle.stats is pure Python: importing every module of it must not import Django."""

import json
import pkgutil
import subprocess
import sys

import cradle.stats

MODULES = sorted(f"cradle.stats.{m.name}" for m in pkgutil.iter_modules(cradle.stats.__path__))


def test_every_stats_module_is_listed():
    assert {"cradle.stats.disclosure", "cradle.stats.audit", "cradle.stats.change",
            "cradle.stats.describe", "cradle.stats.funnel",
            "cradle.stats.distributions"} <= set(MODULES)


def test_importing_cradle_stats_does_not_import_django():
    code = (
        "import importlib, json, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'django')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert json.loads(result.stdout) == []
