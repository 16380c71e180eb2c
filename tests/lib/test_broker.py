"""The embedded broker never shows a worker a message that is not yet written whole."""

import json
import threading
from pathlib import Path

from kombu import Connection

import wargame.celery  # noqa: F401  (the "filesystem" transport is Cumbre's own)
from wargame.lib.broker import Channel


def test_a_reader_never_sees_a_message_half_written(tmp_path: Path) -> None:
    folder = str(tmp_path)
    options = {"data_folder_in": folder, "data_folder_out": folder, "control_folder": folder}
    with Connection("filesystem://", transport_options=options) as connection:
        channel = connection.default_channel
        assert isinstance(channel, Channel)
        done = threading.Event()
        seen: list[str] = []
        broken: list[str] = []

        def read() -> None:
            # What a worker does: take each message file it finds and decode it.
            while not done.is_set():
                for path in tmp_path.glob("*.turns.msg"):
                    try:
                        text = path.read_bytes()
                    except FileNotFoundError:
                        continue
                    try:
                        json.loads(text)
                    except ValueError:
                        broken.append(path.name)
                    seen.append(path.name)

        reader = threading.Thread(target=read)
        reader.start()
        try:
            for number in range(400):
                channel._put("turns", {"body": "x" * 20_000, "number": number})
        finally:
            done.set()
            reader.join()
    assert seen, "the reader saw no message"
    assert not broken, broken[:5]
    assert len(list(tmp_path.glob("*.turns.msg"))) == 400
    assert not list(tmp_path.glob("*.part"))
