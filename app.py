"""Start the web app: `python app.py` (same as `wozo serve`)."""

from assistant.cli import main

raise SystemExit(main(["serve"]))
