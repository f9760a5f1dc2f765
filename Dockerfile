# syntax=docker/dockerfile:1
# netpuls as a container image: `netpuls serve` on port 3978.
# Migrations are a separate step, run with the same image before a new version serves:
#   docker run --rm -e DATABASE_URL=... IMAGE netpuls db upgrade
# (infra/ runs it as an Azure Container Apps job; docs/deploy.md walks through it.)
#
# Build: docker build -t netpuls .   Only PyPI, npm and the base images' registry are reached.

ARG PYTHON_VERSION=3.12
ARG NODE_VERSION=20

# --- assets: the browser packages the tab serves (package.json's dependencies, no dev tools)
FROM node:${NODE_VERSION}-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- build: resolve nothing, install exactly what uv.lock pins ---------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build

# The uv version the Makefile pins (UV_VERSION); tests/test_deploy_files.py keeps them equal.
ARG UV_VERSION=0.9.9
RUN pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"

# Use the image's Python, never download one; copy files out of uv's cache so the
# environment stands alone in the next stage; compile bytecode at build time, because the
# runtime user cannot write next to the modules and start-up must not compile msgraph-sdk.
ENV UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/netpuls

WORKDIR /src
# Dependencies first, in their own layer: they change less often than the code.
COPY pyproject.toml uv.lock README.md ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project --compile-bytecode
# Then netpuls itself, installed (not editable) into the same environment.
COPY bot ./bot
COPY cards ./cards
COPY domain ./domain
COPY graph ./graph
COPY netpuls ./netpuls
COPY scheduler ./scheduler
COPY services ./services
COPY storage ./storage
COPY tab ./tab
# The record of processing: packaged into netpuls and served at /privacy.
COPY docs/privacy.md ./docs/privacy.md
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --compile-bytecode

# --- runtime: the environment only, as a user without a shell or a home to write to -----
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime

RUN groupadd --system --gid 10001 netpuls \
    && useradd --system --uid 10001 --gid netpuls --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin netpuls

COPY --from=build /opt/netpuls /opt/netpuls
COPY --from=assets /assets/node_modules /opt/netpuls-assets/node_modules

# HOST 0.0.0.0: the container's network is the boundary. With MicrosoftAppId empty netpuls
# refuses to listen off loopback, so the image cannot serve without a bot registration.
ENV PATH=/opt/netpuls/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PORT=3978 \
    NETPULS_TAB_ASSETS=/opt/netpuls-assets/node_modules

WORKDIR /var/lib/netpuls
USER 10001:10001
EXPOSE 3978

# Container Apps and Kubernetes probe /healthz (alive) and /readyz (database answers) over
# HTTP themselves; this HEALTHCHECK serves plain `docker run`.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3978'), timeout=4)"]

CMD ["netpuls", "serve"]
