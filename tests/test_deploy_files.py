"""The production deployment files, read as files: docker-compose.yml, .env.example, the
Dockerfile and .dockerignore. No container engine runs here, so these check what a typo or a
rename would break: every command exists in the project, every variable is one the app reads
and is documented, beat is one, workers scale, reports are shared, static files are built."""

import ast
import fnmatch
import importlib
import importlib.util
import re
import shlex
from collections.abc import Iterator
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from celery import Celery
from celery.bin.celery import celery as celery_cli
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError
from gunicorn.config import Config as GunicornConfig

from tests.conftest import REPO

APP_SERVICES = ("migrate", "web", "worker", "beat")
# Read by the postgres image, not by the app: the user, password and database it creates.
POSTGRES_IMAGE_NAMES = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}
# Set by Docker in every container: the container's host name, which is the Celery worker's
# node name and so the destination of its health check's ping.
CONTAINER_NAMES = {"HOSTNAME"}
ENV_READERS = {"env_str", "env_bool", "env_int", "env_float", "env_list", "getenv"}
ASSIGNMENT = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


# --- reading the files ------------------------------------------------------------------------


@cache
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def service(name: str) -> dict[str, Any]:
    return compose()["services"][name]


def argv(command: str | list[str]) -> list[str]:
    """A compose command or healthcheck as the container runs it ($$ is a literal $)."""
    if isinstance(command, str):
        return shlex.split(command.replace("$$", "$"))
    if command[0] == "CMD-SHELL":
        return shlex.split(command[1].replace("$$", "$"))
    if command[0] == "CMD":
        return [part.replace("$$", "$") for part in command[1:]]
    return list(command)


def env_example_lines() -> Iterator[tuple[int, str, str | None, str]]:
    """(line number, line, NAME or None, value) for each line of .env.example; commented
    assignments (`# NAME=default`) give their name too."""
    for number, line in enumerate((REPO / ".env.example").read_text().splitlines(), 1):
        match = ASSIGNMENT.match(line.strip())
        yield number, line, match and match.group(2), match.group(3) if match else ""


def env_example() -> dict[str, str]:
    """The assignments .env.example makes, as Compose reads them."""
    return {
        name: value
        for _n, line, name, value in env_example_lines()
        if name and not line.lstrip().startswith("#")
    }


def env_example_documented() -> set[str]:
    """Every name .env.example mentions as an assignment, made or commented out."""
    return {name for _n, _line, name, _value in env_example_lines() if name}


def _env_read(node: ast.AST) -> str | None:
    """The variable name a call such as env_str("NAME", ...) or os.environ.get("NAME") reads."""
    if isinstance(node, ast.Subscript):  # os.environ["NAME"]
        target, key = node.value, node.slice
    elif isinstance(node, ast.Call) and node.args:
        func, key = node.func, node.args[0]
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name in ENV_READERS:
            return key.value if isinstance(key, ast.Constant) else None
        if name != "get" or not isinstance(func, ast.Attribute):
            return None
        target = func.value
    else:
        return None
    is_environ = isinstance(target, ast.Attribute) and target.attr == "environ"
    if is_environ and isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    return None


@cache
def names_read_by_the_code() -> frozenset[str]:
    """Every environment variable the app reads: settings.py, gunicorn.py and any other module
    of the package (migrations aside)."""
    names = set()
    for path in sorted((REPO / "wargame").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if name := _env_read(node):
                names.add(name)
    return frozenset(names)


@cache
def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    instructions, pending = [], ""
    for line in (REPO / "Dockerfile").read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        keyword, _space, rest = (pending + line).strip().partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
        pending = ""
    return instructions


def final_stage() -> list[tuple[str, str]]:
    """The instructions of the image that runs: those after the last FROM."""
    instructions = dockerfile_instructions()
    last_from = max(i for i, (keyword, _args) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from + 1 :]


def dockerfile_env() -> dict[str, str]:
    """The ENV of the image that runs."""
    env: dict[str, str] = {}
    for keyword, args in final_stage():
        if keyword == "ENV":
            env.update(token.split("=", 1) for token in shlex.split(args))
    return env


def dockerfile_cmd() -> list[str]:
    [cmd] = [yaml.safe_load(args) for keyword, args in final_stage() if keyword == "CMD"]
    return cmd


def collectstatic_run() -> tuple[dict[str, str], list[str]]:
    """The variables and the command line of the Dockerfile's collectstatic step."""
    for keyword, args in final_stage():
        if keyword == "RUN" and "collectstatic" in args:
            step = next(part for part in args.split("&&") if "collectstatic" in part)
            tokens = shlex.split(step)
            env = {}
            while tokens and ASSIGNMENT.match(tokens[0]):
                name, _eq, value = tokens.pop(0).partition("=")
                env[name] = value
            return env, tokens
    raise AssertionError("the Dockerfile runs no collectstatic")


def volume_mounts(definition: dict[str, Any]) -> list[tuple[str, str]]:
    """(source, target) of each volume a service mounts."""
    mounts = []
    for volume in definition.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source", ""), volume["target"]
        mounts.append((source, target.rstrip("/")))
    return mounts


def service_environment(name: str) -> dict[str, str]:
    """The variables a service sets itself (`environment:`, as a mapping or a list)."""
    environment = service(name).get("environment") or {}
    if isinstance(environment, list):
        return dict(item.partition("=")[::2] for item in environment)
    return {key: str(value) for key, value in environment.items()}


def production_setting(name: str, service_name: str = "web") -> str | None:
    """A variable's value in a container of the service: its environment, else .env, else
    the image's ENV."""
    for source in (service_environment(service_name), env_example(), dockerfile_env()):
        if name in source:
            return str(source[name])
    return None


def var_dir() -> str:
    value = production_setting("CUMBRE_VAR_DIR")
    assert value, "CUMBRE_VAR_DIR is set neither by the image nor by .env.example"
    return value.rstrip("/")


def report_dir() -> str:
    return (production_setting("CUMBRE_REPORT_DIR") or f"{var_dir()}/reports").rstrip("/")


# --- commands ----------------------------------------------------------------------------------


def _check_manage_py(args: list[str]) -> None:
    assert (REPO / "manage.py").exists()
    name, options = args[0], args[1:]
    commands = get_commands()
    assert name in commands, f"manage.py has no command {name!r}"
    parser = load_command_class(commands[name], name).create_parser("manage.py", name)
    try:
        parser.parse_args(options)
    except CommandError as error:
        raise AssertionError(f"manage.py {' '.join(args)}: {error}") from None


def _check_gunicorn(args: list[str]) -> None:
    try:
        parsed = GunicornConfig().parser().parse_args(args)
    except SystemExit:
        raise AssertionError(f"gunicorn does not accept {args}") from None
    config = parsed.config or ""
    assert config.startswith("python:"), f"gunicorn reads no config module: {args}"
    assert importlib.util.find_spec(config.removeprefix("python:")), config
    [app] = parsed.args
    module, _colon, variable = app.partition(":")
    spec = importlib.util.find_spec(module)
    assert spec and spec.origin, f"no module {module}"
    # Read, not imported: importing the WSGI module would set Django up a second time.
    tree = ast.parse(Path(spec.origin).read_text())
    assigned = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert (variable or "application") in assigned, f"{module} defines no {variable}"


def _check_celery(args: list[str]) -> None:
    args = list(args)
    options = {opt for param in celery_cli.params for opt in param.opts}
    app_name = None
    while args and args[0].startswith("-"):
        option = args.pop(0)
        assert option in options, f"celery has no option {option}"
        if option in ("-A", "--app"):
            app_name = args.pop(0)
    assert app_name, "celery is not told which app to run (-A)"
    module = importlib.import_module(f"{app_name}.celery")
    assert isinstance(module.app, Celery) and module.app.main == app_name
    subcommand = celery_cli.commands.get(args[0])
    assert subcommand, f"celery has no command {args[0]!r}"
    known = {opt for param in subcommand.params for opt in param.opts + param.secondary_opts}
    for token in args[1:]:
        if token.startswith("-"):
            assert token.split("=")[0] in known, f"celery {args[0]} has no option {token}"


def check_command(command: list[str]) -> None:
    """The executable is one the project installs, and what it names exists in the project."""
    executable, *args = command
    if executable == "python" and args[0] == "manage.py":
        _check_manage_py(args[1:])
    elif executable == "python" and args[0] == "-c":
        compile(args[1], "<healthcheck>", "exec")
    elif executable == "gunicorn":
        _check_gunicorn(args)
    elif executable == "celery":
        _check_celery(args)
    else:
        raise AssertionError(f"{executable!r} is not a program the project installs: {command}")


def app_commands() -> Iterator[tuple[str, list[str]]]:
    for name in APP_SERVICES:
        definition = service(name)
        yield f"{name}: command", argv(definition["command"])
        if "healthcheck" in definition:
            yield f"{name}: healthcheck", argv(definition["healthcheck"]["test"])
    yield "Dockerfile: CMD", dockerfile_cmd()
    yield "Dockerfile: collectstatic", collectstatic_run()[1]


@pytest.mark.parametrize(
    "command", [pytest.param(command, id=where) for where, command in app_commands()]
)
def test_every_command_exists_in_the_project(command: list[str]) -> None:
    check_command(command)


def test_the_command_check_refuses_what_does_not_exist() -> None:
    for command in (
        ["python", "manage.py", "migrat", "--noinput"],
        ["python", "manage.py", "health", "--part", "beat"],
        ["gunicorn", "--config", "python:wargame.gunicorns", "wargame.wsgi"],
        ["gunicorn", "--config", "python:wargame.gunicorn", "wargame.wsgl"],
        ["celery", "-A", "wargame", "wrker"],
        ["celery", "-A", "wargame", "worker", "--concurency", "2"],
        ["uwsgi", "--module", "wargame.wsgi"],
    ):
        with pytest.raises(AssertionError):
            check_command(command)


# --- the services ------------------------------------------------------------------------------


def test_the_stack_has_its_services() -> None:
    assert set(compose()["services"]) == {"postgres", "redis", *APP_SERVICES}


def test_app_services_share_one_definition_and_the_env_file() -> None:
    images = {(service(name)["image"], service(name)["build"]) for name in APP_SERVICES}
    assert len(images) == 1, images
    for name in APP_SERVICES:
        env_files = service(name)["env_file"]
        env_files = [env_files] if isinstance(env_files, str) else env_files
        paths = [item if isinstance(item, str) else item["path"] for item in env_files]
        assert paths == [".env"], (name, paths)


def test_app_processes_start_after_migrations_and_healthy_servers() -> None:
    assert argv(service("migrate")["command"]) == ["python", "manage.py", "migrate", "--noinput"]
    assert service("migrate")["restart"] == "no"
    for name in ("web", "worker", "beat"):
        depends = service(name)["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_web_runs_gunicorn_as_the_image_does_and_publishes_8000() -> None:
    assert argv(service("web")["command"]) == dockerfile_cmd()
    assert any(str(port).split(":")[-1] == "8000" for port in service("web")["ports"])
    assert ("EXPOSE", "8000") in final_stage()


def test_beat_is_exactly_one() -> None:
    assert service("beat")["deploy"]["replicas"] == 1
    assert argv(service("beat")["command"])[:4] == ["celery", "-A", "wargame", "beat"]
    runs_beat = []
    for where, command in app_commands():
        if command[0] != "celery":
            continue
        subcommand = next(arg for arg in command[3:] if not arg.startswith("-"))
        if subcommand == "beat" or "--beat" in command or "-B" in command:
            runs_beat.append(where)
    assert runs_beat == ["beat: command"]


def test_workers_scale() -> None:
    worker = service("worker")
    # A fixed name, a host port or a fixed host name (the Celery node name) allows one worker.
    for key in ("container_name", "ports", "hostname"):
        assert key not in worker, key
    assert argv(worker["command"])[:4] == ["celery", "-A", "wargame", "worker"]


def test_every_service_has_a_healthcheck() -> None:
    for name, definition in compose()["services"].items():
        if definition.get("restart") == "no":
            continue  # one-shot: done when it exits
        healthcheck = definition.get("healthcheck", {})
        assert healthcheck.get("test") and not healthcheck.get("disable"), name


def test_web_and_workers_share_the_reports_volume() -> None:
    target = report_dir()
    sources = {}
    for name in ("web", "worker"):
        mounts = [source for source, mounted in volume_mounts(service(name)) if mounted == target]
        assert mounts, f"{name} mounts nothing at the report directory {target}"
        sources[name] = mounts[0]
    assert sources["web"] == sources["worker"], sources
    assert sources["web"] in compose()["volumes"], "the reports volume is a named volume"


def test_no_volume_hides_the_static_files_built_into_the_image() -> None:
    static_root = PurePosixPath(var_dir()) / "staticfiles"
    targets = [target for name in APP_SERVICES for _source, target in volume_mounts(service(name))]
    for keyword, args in final_stage():
        targets += yaml.safe_load(args) if keyword == "VOLUME" else []
    for target in targets:
        assert not static_root.is_relative_to(target), f"a volume at {target} hides {static_root}"


def test_database_volume_and_dev_ports_on_loopback() -> None:
    postgres = service("postgres")
    assert [target for _source, target in volume_mounts(postgres)] == ["/var/lib/postgresql/data"]
    assert "pg_isready" in " ".join(argv(postgres["healthcheck"]["test"]))
    assert argv(service("redis")["healthcheck"]["test"]) == ["redis-cli", "ping"]
    for name in ("postgres", "redis"):
        for port in service(name)["ports"]:
            assert str(port).startswith("127.0.0.1:"), (name, port)


# --- environment variables ---------------------------------------------------------------------


def test_the_code_reads_the_variables_it_documents() -> None:
    # The reader itself: these are read today, and a broken parser would find none of them.
    assert {"SECRET_KEY", "DATABASE_URL", "LOG_LEVEL", "WEB_CONCURRENCY", "LOG_FORMAT"} <= (
        names_read_by_the_code()
    )


def test_every_name_the_compose_file_and_env_example_use_is_read() -> None:
    known = names_read_by_the_code() | POSTGRES_IMAGE_NAMES
    text = (REPO / "docker-compose.yml").read_text()
    in_compose = set(re.findall(r"\$\$?\{?([A-Z_][A-Z0-9_]*)", text))
    in_compose |= set(re.findall(r"environ(?:\.get\(|\[)\s*[\"']([A-Z_][A-Z0-9_]*)", text))
    for name in compose()["services"]:
        in_compose |= set(service_environment(name))
    assert in_compose - known - CONTAINER_NAMES == set()
    assert env_example_documented() - known == set()


def test_every_name_the_code_reads_is_in_env_example() -> None:
    assert names_read_by_the_code() - env_example_documented() == set()


def test_every_variable_in_env_example_has_a_comment() -> None:
    described = False
    for number, line, name, _value in env_example_lines():
        if not line.strip():
            described = False
        elif name is None:
            described = line.lstrip().startswith("#")
        else:
            assert described, f".env.example:{number}: {name} has no comment above it"


def test_env_example_has_production_values() -> None:
    env = env_example()
    assert env["DEBUG"] == "false"
    for name in ("CUMBRE_HTTPS", "CUMBRE_STATIC_MANIFEST"):
        assert env[name] == "true", name
    assert env["LOG_FORMAT"] == "json"
    # No secret is ever committed: the key and the database password are for the operator.
    assert env["SECRET_KEY"] == "" and env["POSTGRES_PASSWORD"] == ""
    # Compose would read a $ in a value as a variable.
    assert not [name for name, value in env.items() if "$" in value]


def test_env_example_points_at_the_compose_services() -> None:
    env = env_example()
    database = re.fullmatch(r"postgres://(\w+):[^@]*@(\w+):5432/(\w+)", env["DATABASE_URL"])
    assert database, env["DATABASE_URL"]
    user, host, name = database.groups()
    assert (user, name) == (env["POSTGRES_USER"], env["POSTGRES_DB"])
    assert host in compose()["services"]
    for variable in ("CELERY_BROKER_URL", "CACHE_URL"):
        assert re.fullmatch(r"redis://redis:6379/\d+", env[variable]), variable
    assert env["CELERY_BROKER_URL"] != env["CACHE_URL"]


# --- the image ---------------------------------------------------------------------------------


def test_the_image_is_built_in_stages_from_python_3_12_slim() -> None:
    bases = [args for keyword, args in dockerfile_instructions() if keyword == "FROM"]
    assert len(bases) >= 2
    text = (REPO / "Dockerfile").read_text()
    assert re.search(r"python:3\.12-slim", text)
    installs = [args for keyword, args in dockerfile_instructions() if "pip install" in args]
    assert any(re.search(r"pip install \.(\s|$)", args) for args in installs), installs
    assert not [args for args in installs if "[dev]" in args], "the image has no dev extra"


def test_the_image_runs_as_a_user_who_is_not_root() -> None:
    users = [args for keyword, args in final_stage() if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    keywords = [keyword for keyword, _args in final_stage()]
    assert keywords.index("USER") < keywords.index("CMD")


def test_the_image_has_what_weasyprint_loads() -> None:
    packages = " ".join(args for keyword, args in final_stage() if "apt-get install" in args)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "fonts-dejavu-core"):
        assert package in packages.split(), package


def test_the_image_collects_static_files_with_hashed_names() -> None:
    env, command = collectstatic_run()
    assert command == ["python", "manage.py", "collectstatic", "--noinput"]
    assert (dockerfile_env() | env).get("CUMBRE_STATIC_MANIFEST") == "true"
    assert env.get("SECRET_KEY"), "collectstatic needs a throwaway key"
    assert "DATABASE_URL" not in env, "collectstatic needs no database"
    keywords = [keyword for keyword, _args in final_stage()]
    step = next(i for i, (k, a) in enumerate(final_stage()) if "collectstatic" in a)
    assert "USER" in keywords[:step], "static files are collected as the app's user"


def test_the_image_has_every_directory_the_settings_use() -> None:
    copied = {
        PurePosixPath(source).parts[0]
        for keyword, args in final_stage()
        if keyword == "COPY" and not args.startswith("--from")
        for source in shlex.split(args)[:-1]
    }
    used = [*settings.TEMPLATES[0]["DIRS"], *settings.STATICFILES_DIRS, REPO / "scenarios"]
    for path in used:
        assert Path(path).relative_to(REPO).parts[0] in copied, path
    assert {"manage.py", "wargame"} <= copied


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for needed in (".env", ".git", ".venv", "var"):
        assert needed in patterns, needed
    copied = [
        source
        for keyword, args in dockerfile_instructions()
        if keyword == "COPY" and not args.startswith("--from")
        for source in shlex.split(args)[:-1]
    ]
    for source in copied:
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in patterns), source
