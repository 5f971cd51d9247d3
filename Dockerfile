# The bot in a container: slim Python, a non-root user, the database on a volume.
# Two stages: the first installs the package into a virtual environment and trims it; the
# second copies only that environment, so pip, build caches and sources stay behind.
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

COPY pyproject.toml README.md /src/
COPY bot /src/bot
COPY storage /src/storage
COPY locales /src/locales
# A plain (non-editable) install: translations and migrations travel inside the package.
# Trimmed: the installers (pip, setuptools), dependencies' test suites and type stubs, and
# Babel's data for ~1,100 locales the bot does not speak (en and km stay, and root, their parent).
RUN python -m venv /venv \
    && /venv/bin/pip install --no-compile /src \
    && /venv/bin/pip uninstall --yes pip setuptools \
    && SITE=/venv/lib/python3.11/site-packages \
    && find "$SITE" -depth -type d -name tests -exec rm -rf {} + \
    && find "$SITE" -name '*.pyi' -delete \
    && find "$SITE/babel/locale-data" -name '*.dat' \
         ! -name root.dat ! -name en.dat ! -name 'km*.dat' -delete \
    && /venv/bin/python -m compileall -q -j 0 /venv \
    && /venv/bin/python -m bot faq check

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/venv/bin:$PATH \
    DATABASE_PATH=/data/bot.sqlite3 \
    HEALTH_PORT=8081 \
    HEALTH_LISTEN=127.0.0.1

COPY --from=build /venv /venv
RUN useradd --system --uid 10001 --create-home --home-dir /app bot \
    && mkdir -p /data && chown bot /data

USER bot
WORKDIR /app
VOLUME ["/data"]
# Webhook mode listens on 8080 (WEBHOOK_PORT); polling needs no open port. /healthz and
# /metrics are on 8081 inside the container only (HEALTH_LISTEN=127.0.0.1).
EXPOSE 8080
# 503 from /healthz (processor dead, database unreadable, outbox or inbox stuck, Telegram
# failing) marks the container unhealthy; start-period covers migrations on a first start.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot", "healthcheck"]
# SIGTERM (docker stop) stops the bot cleanly within SHUTDOWN_TIMEOUT_SECONDS (8 s by default),
# inside docker stop's 10 s grace period.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot"]
