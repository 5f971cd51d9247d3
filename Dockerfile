# The bot in a container: slim Python, a non-root user, the database on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_PATH=/data/bot.sqlite3

COPY pyproject.toml README.md /src/
COPY bot /src/bot
COPY storage /src/storage
COPY locales /src/locales
# A plain (non-editable) install: translations and migrations travel inside the package.
RUN pip install /src && rm -rf /src \
    && useradd --system --uid 10001 --create-home --home-dir /app bot \
    && mkdir -p /data && chown bot /data

USER bot
WORKDIR /app
VOLUME ["/data"]
# Webhook mode listens here (WEBHOOK_PORT); polling needs no open port.
EXPOSE 8080
CMD ["python", "-m", "bot"]
