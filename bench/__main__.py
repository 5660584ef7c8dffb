"""Run every benchmark (``bench/bench_*.py``): ``python -m bench [--smoke]``.

Each benchmark prints its figure beside the limit or peer it is compared with, measured
in the same run. ``--smoke`` runs them at a small size so `make test` keeps them working;
the real figures come from `make bench`.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    args = sys.argv[1:]
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.stem} {' '.join(args)}", flush=True)
        if subprocess.run([sys.executable, str(script), *args], check=False).returncode != 0:
            failed.append(script.stem)
    if failed:
        print(f"benchmarks failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
