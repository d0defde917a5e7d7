# OST Safe's container image: the app server (gunicorn) and the scheduler run from it (compose.yaml; docs/operations.md).
#   docker build -t ostsafe .

# The GOV.UK Frontend and MOJ assets, from the npm registry, copied as the Makefile copies them.
FROM node:20-bookworm-slim AS frontend
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json Makefile ./
RUN make var/frontend/.copied

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=ostsafe.config.settings_production \
    DJANGO_LOG_FORMAT=json \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    PORT=8000
# WeasyPrint (the PDFs) needs Pango and a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app --shell /usr/sbin/nologin ostsafe
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=frontend /src/var/frontend var/frontend
# Static files are collected at build time and served by WhiteNoise; the settings need a key and a database name to
# load, neither of which is used here.
RUN DJANGO_SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 DJANGO_ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput -v0 \
    && rm -f /tmp/build.sqlite3
USER ostsafe
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/health/', timeout=4)"
ENTRYPOINT ["bin/docker-entrypoint"]
CMD ["web"]
