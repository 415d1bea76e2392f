"""Where the workbench's templates and static files are."""
from pathlib import Path

HERE = Path(__file__).resolve().parent
