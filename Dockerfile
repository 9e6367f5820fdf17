# The API on its embedded SQLite by default; set DATABASE_URL for PostgreSQL (see compose.yaml).
# Same install and start commands as the README's Quick start: scripts/bootstrap, then kb serve.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KB_HOST=0.0.0.0 \
    KB_PORT=8000

RUN useradd --create-home --uid 10001 kb
WORKDIR /srv/kb
COPY --chown=kb:kb . .
USER kb
RUN scripts/bootstrap

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD [".venv/bin/python", "-c", "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"]
CMD ["scripts/serve"]
