"""Cleaning text that people type and others see: names without invisible characters."""

import unicodedata

# Unicode's "format" (Cf: zero-width spaces and joiners, direction marks, overrides and
# isolates, the byte-order mark), "control" (Cc) and unassigned or private (Cn, Co) characters:
# invisible in a list of names, or able to reorder what follows them.
_HIDDEN = {"Cf", "Cc", "Cn", "Co", "Cs"}


def clean_display_name(text: str) -> str:
    """`text` with every invisible or direction-changing character removed and runs of
    spaces made one; what remains is what everyone sees."""
    normal = unicodedata.normalize("NFC", text)
    visible = "".join(
        " " if char.isspace() else char
        for char in normal
        if unicodedata.category(char) not in _HIDDEN or char.isspace()
    )
    return " ".join(visible.split())
