"""Cleaning text that people type and others see: names without invisible characters, text
without control characters."""

import re
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


# Unicode's control characters (U+0000-001F, U+007F-009F) but tab, line feed and carriage
# return: YAML's rule, kept alike for scenario files, MSEL spreadsheets and forms.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """The first control character in `text` that is not a tab or a line break, as `U+0007`;
    None when there is none."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None
