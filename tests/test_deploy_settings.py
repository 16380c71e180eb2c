"""The app as the production image runs it, with the settings .env.example gives: Django's
deployment checks pass, the settings are the production ones, the image's collectstatic step
works without a database, and gunicorn serves the health check the web container runs."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

from tests.conftest import REPO
from tests.test_deploy_files import (
    argv,
    collectstatic_run,
    dockerfile_env,
    env_example,
    names_read_by_the_code,
    service,
)

pytestmark = pytest.mark.waits  # servers and workers of their own

BIN = Path(sys.executable).parent


def outside_env() -> dict[str, str]:
    """This process's environment without any variable the app reads."""
    read = names_read_by_the_code()
    return {name: value for name, value in os.environ.items() if name not in read}


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of an app container: the image's ENV, then .env from .env.example with
    a real key, and files under var_dir instead of the image's directories."""
    read = names_read_by_the_code()
    env = outside_env()
    env |= {name: value for name, value in dockerfile_env().items() if name in read}
    env |= env_example()
    env |= {
        "SECRET_KEY": get_random_secret_key(),
        "DATABASE_URL": f"sqlite:///{var_dir / 'cumbre.sqlite3'}",
        "CUMBRE_VAR_DIR": str(var_dir),
        "CUMBRE_REPORT_DIR": str(var_dir / "reports"),
        "DJANGO_SETTINGS_MODULE": "wargame.settings",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return env | extra


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_passes_with_the_production_settings(tmp_path: Path) -> None:
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output, output


@pytest.mark.parametrize("key", ["", "insecure-development-key-do-not-use-in-production"])
def test_the_web_server_and_the_worker_refuse_to_start_without_a_real_key(
    tmp_path: Path, key: str
) -> None:
    """No opt-in: with DEBUG off and no SECRET_KEY (or the public development key), gunicorn's
    application and the Celery worker stop at once with a message, never a traceback."""
    env = production_env(tmp_path, SECRET_KEY=key)
    commands = [
        [sys.executable, "-c", "import wargame.wsgi"],
        [sys.executable, "-c", "import wargame.asgi"],
        [str(BIN / "celery"), "-A", "wargame", "worker", "--pool", "solo", "--loglevel", "ERROR"],
    ]
    # The settings refuse the key, whatever loads them: every entry point for a missing key,
    # the web application's for the public one.
    for command in commands if not key else commands[:1]:
        result = run(command, env)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "Cumbre will not start: SECRET_KEY is not set." in result.stderr, command
        assert "Traceback" not in result.stderr, command
    # With a key, or DEBUG on a development machine, the application loads.
    for extra in ({"SECRET_KEY": get_random_secret_key()}, {"DEBUG": "true"}) if not key else ():
        result = run([sys.executable, "-c", "import wargame.wsgi"], env | extra)
        assert result.returncode == 0, (extra, result.stderr)


PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.urls import reverse
formatter = settings.LOGGING["handlers"]["console"]["formatter"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_PROXY_SSL_HEADER": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "formatter": settings.LOGGING["formatters"][formatter].get("()"),
    "admin": reverse("admin:index"),
    "cache": settings.CACHES["default"]["BACKEND"],
}))
"""


def test_the_production_settings(tmp_path: Path) -> None:
    result = run([sys.executable, "-c", PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["DEBUG"] is False
    assert seen["SESSION_COOKIE_SECURE"] and seen["CSRF_COOKIE_SECURE"]
    assert seen["SECURE_SSL_REDIRECT"] and seen["SECURE_HSTS_SECONDS"] > 0
    assert seen["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert seen["staticfiles"].endswith("ManifestStaticFilesStorage")
    assert seen["formatter"] == "pythonjsonlogger.json.JsonFormatter"
    assert seen["admin"] == "/" + env_example()["CUMBRE_ADMIN_PATH"].strip("/") + "/"
    assert seen["admin"] != "/admin/"
    assert seen["cache"].endswith("RedisCache")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """CUMBRE_VAR_DIR after the Dockerfile's collectstatic step, run as the build runs it:
    the image's ENV and the step's own variables, no .env, and a database nobody answers."""
    var_dir = tmp_path_factory.mktemp("image-var")
    step_env, command = collectstatic_run()
    env = outside_env() | dockerfile_env() | step_env
    env |= {
        "CUMBRE_VAR_DIR": str(var_dir),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO),
    }
    result = run([sys.executable, *command[1:]], env)
    assert result.returncode == 0, result.stdout + result.stderr
    return var_dir


def test_the_image_collects_static_files_without_a_database(built: Path) -> None:
    manifest = json.loads((built / "staticfiles" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/cumbre.css"]
    assert hashed != "css/cumbre.css" and (built / "staticfiles" / hashed).exists()
    assert not (built / "cumbre.sqlite3").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.fixture(scope="module")
def web(built: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """The web service's command serving on a free port of this machine, for the module's
    tests, which only read from it."""
    port = str(_free_port())
    env = production_env(built, PORT=port, WEB_CONCURRENCY="1", WEB_THREADS="2")
    log = built / f"gunicorn-{port}.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            argv(service("web")["command"]), cwd=REPO, env=env, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", env
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_web_containers_health_check_passes(web: tuple[str, dict[str, str]]) -> None:
    _url, env = web
    result = run(argv(service("web")["healthcheck"]["test"]), env)
    assert result.returncode == 0, result.stderr


def test_web_redirects_to_https_except_health_checks(web: tuple[str, dict[str, str]]) -> None:
    url, env = web
    host = {"Host": env["ALLOWED_HOSTS"].split(",")[0]}
    status, headers = _get(f"{url}/", host)
    assert status == 301 and headers["Location"].startswith("https://"), (status, headers)
    assert _get(f"{url}/healthz/live", host)[0] == 200


def test_web_serves_static_files_under_hashed_names(
    web: tuple[str, dict[str, str]], built: Path
) -> None:
    url, env = web
    manifest = json.loads((built / "staticfiles" / "staticfiles.json").read_text())
    headers = {"Host": env["ALLOWED_HOSTS"].split(",")[0], "X-Forwarded-Proto": "https"}
    status, response = _get(f"{url}/static/{manifest['paths']['css/cumbre.css']}", headers)
    assert status == 200
    assert "immutable" in response.get("Cache-Control", ""), response
