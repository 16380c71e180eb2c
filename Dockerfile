# syntax=docker/dockerfile:1
#
# Cumbre's production image. One image runs every process of the stack:
#   web     gunicorn --config python:wargame.gunicorn wargame.wsgi   (the default command)
#   worker  celery -A wargame worker                                 (as many as needed)
#   beat    celery -A wargame beat                                   (exactly one)
#   once    python manage.py migrate --noinput | createsuperuser | load_scenario scenarios/
# docker-compose.yml puts them together; docs/deploy.md says how to run them.

ARG PYTHON_IMAGE=python:3.12-slim-trixie

# ---- build: the project and its dependencies in a virtual environment ------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml README.md ./
COPY wargame ./wargame
# Every dependency is published as a wheel for Linux, so no compiler is needed here; the cache
# keeps the downloaded wheels between builds when only the code changed.
RUN --mount=type=cache,target=/root/.cache/pip pip install .

# ---- runtime: the environment, the fonts and libraries for PDF reports, the project files ------
FROM ${PYTHON_IMAGE} AS runtime

# WeasyPrint lays out PDF reports with Pango, HarfBuzz and Fontconfig, loaded at run time; the
# report's stylesheet asks for DejaVu Sans first.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The app runs as this user. A reports directory on shared storage (NFS) must be writable by
# this uid on every machine.
ARG APP_UID=10001
RUN groupadd --system --gid "${APP_UID}" cumbre \
    && useradd --system --uid "${APP_UID}" --gid cumbre --create-home --home-dir /home/cumbre \
        --shell /usr/sbin/nologin cumbre \
    && install -d -o cumbre -g cumbre /var/lib/cumbre /var/lib/cumbre/reports

# The project runs from /app, not from the installed copy: templates/, static/ and scenarios/
# sit beside the package and the settings find them from the package's own location, so
# PYTHONPATH makes /app/wargame the one imported by gunicorn, celery and manage.py alike.
# CUMBRE_VAR_DIR holds the static files collected below and beat's schedule file; only the
# reports under it are a volume, so that a volume left from an older image can never hide the
# static files of a newer one.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    CUMBRE_VAR_DIR=/var/lib/cumbre \
    CUMBRE_REPORT_DIR=/var/lib/cumbre/reports \
    CUMBRE_STATIC_MANIFEST=true

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY manage.py ./
COPY wargame ./wargame
COPY templates ./templates
COPY static ./static
COPY scenarios ./scenarios
# The Spanish and Portuguese catalogues, compiled from wargame/locale/*/LC_MESSAGES/django.po.
RUN python -m compileall -q wargame \
    && pybabel --quiet compile --directory wargame/locale --domain django --statistics

USER cumbre
# Static files under hashed names, compressed, at build time. collectstatic reads the settings
# but opens no database and sends nothing to the broker; the key below signs nothing and
# exists only because the settings insist on one. Matplotlib's font list is built once here
# rather than on the first report of every new container.
RUN SECRET_KEY=collectstatic-only-not-a-secret CELERY_BROKER_URL=memory:// \
        python manage.py collectstatic --noinput \
    && python -c "import matplotlib.font_manager"

VOLUME ["/var/lib/cumbre/reports"]
EXPOSE 8000
CMD ["gunicorn", "--config", "python:wargame.gunicorn", "wargame.wsgi"]
