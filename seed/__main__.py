"""``python -m seed`` loads the seed article; ``python -m seed import PATH...`` imports others."""

import sys

from app.cli import main

if __name__ == "__main__":
    arguments = sys.argv[1:]
    sys.exit(main(arguments if arguments[:1] == ["import"] else ["seed", *arguments]))
