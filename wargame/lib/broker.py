"""The embedded broker: kombu's filesystem transport, with messages that appear whole.

Kombu's filesystem transport creates a message's file, then locks it and writes it; a worker
that lists the folder in between takes the empty file, fails to decode it and stops
("Unrecoverable error: JSONDecodeError", kombu issue #1551). Seen here when both cores were
busy: the worker died and the clock stopped closing turns. Here a message is written under a
name the workers do not read, then renamed to its real name, which is atomic in one folder.
"""

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        """Put the message on the queue, whole or not at all."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Workers read only names that end in ".<queue>.msg".
        partial = f"{final}.part"
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
